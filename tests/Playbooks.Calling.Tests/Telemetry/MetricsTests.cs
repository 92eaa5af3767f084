using Azure.Messaging.ServiceBus;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Moq;
using Playbooks.Calling.Activity;
using Playbooks.Calling.CallEvents;
using Playbooks.Calling.Calls;
using Playbooks.Calling.Crm;
using Playbooks.Calling.DeadLetters;
using Playbooks.Calling.Telemetry;
using Playbooks.Calling.Tests.Twilio;
using TestCall = Playbooks.Calling.Tests.Activity.CallEvents;

namespace Playbooks.Calling.Tests.Telemetry;

/// <summary>Each metric of the "Playbooks.Calling" meter moves when what it counts happens.</summary>
[Collection(TelemetryCollection.Name)]
public class MetricsTests
{
    private readonly TestCall events = new();

    [Fact]
    public async Task DrainAsync_OneMergedOnePoison_CountsEachOutcomeAndTheLagOfTheMergedOne()
    {
        // Arrange
        using var measurements = new RecordedMeasurements();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero));
        var e = events.Status(CallStatus.Ringing, 1, 3) with { ReceivedAt = time.GetUtcNow().AddSeconds(-4) };
        var receiver = new Mock<ServiceBusReceiver>(MockBehavior.Strict);
        receiver.SetupSequence(r => r.ReceiveMessagesAsync(It.IsAny<int>(), It.IsAny<TimeSpan?>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync([Message(CallEventSerializer.Serialize(e)), Message("not json")])
            .ReturnsAsync([]);
        receiver.Setup(r => r.CompleteMessageAsync(It.IsAny<ServiceBusReceivedMessage>(), It.IsAny<CancellationToken>())).Returns(Task.CompletedTask);
        receiver.Setup(r => r.DeadLetterMessageAsync(It.IsAny<ServiceBusReceivedMessage>(), It.IsAny<string>(), It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .Returns(Task.CompletedTask);
        var activities = new Mock<ActivityService>(MockBehavior.Strict, null!, null!, null!);
        activities.Setup(a => a.ApplyAsync(It.Is<IReadOnlyList<CallEventMessage>>(g => g.Count == 1 && g[0] == e), It.IsAny<CancellationToken>()))
            .ReturnsAsync(TestCall.MergeAll([e]));
        var writer = new ActivityWriter(
            new ServiceBusCallEventSource(receiver.Object, new Mock<ServiceBusSender>(MockBehavior.Strict).Object, time),
            activities.Object, Options.Create(new CallEventsOptions()), time, NullLogger<ActivityWriter>.Instance);

        // Act
        await writer.DrainAsync(TimeSpan.FromSeconds(55), CancellationToken.None);

        // Assert
        Assert.Equal(1, measurements.Sum(PlaybooksTelemetry.EventsDrainedInstrument, PlaybooksTelemetry.OutcomeTag, "completed"));
        Assert.Equal(1, measurements.Sum(PlaybooksTelemetry.EventsDrainedInstrument, PlaybooksTelemetry.OutcomeTag, "dead-lettered"));
        Assert.Equal(4.0, Assert.Single(measurements.Of(PlaybooksTelemetry.DrainLagInstrument)).Value, precision: 3);
    }

    [Fact]
    public async Task TracedCrmConnector_SyncedAndFailed_CountsEachAndTracesEachCall()
    {
        // Arrange
        using var measurements = new RecordedMeasurements();
        using var spans = new RecordedSpans();
        var synced = Ended("CA-synced");
        var failed = Ended("CA-failed");
        var inner = new Mock<ICrmConnector>(MockBehavior.Strict);
        inner.SetupGet(c => c.Provider).Returns(CrmProvider.Salesforce);
        inner.Setup(c => c.WriteAsync(It.IsAny<CrmConnection>(), It.IsAny<IReadOnlyList<CallActivity>>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync([CrmSyncOutcome.Synced(synced.Key, "00T1"), CrmSyncOutcome.Failed(failed.Key, "refused")]);
        var connector = new TracedCrmConnector(inner.Object, TimeProvider.System);

        // Act
        var outcomes = await connector.WriteAsync(new CrmConnection { OrgId = TestCall.OrgId }, [synced, failed], CancellationToken.None);

        // Assert
        Assert.Equal(2, outcomes.Count);
        Assert.Equal(1, measurements.Sum(PlaybooksTelemetry.CrmSyncOutcomesInstrument, PlaybooksTelemetry.OutcomeTag, "synced"));
        Assert.Equal(1, measurements.Sum(PlaybooksTelemetry.CrmSyncOutcomesInstrument, PlaybooksTelemetry.OutcomeTag, "failed"));
        Assert.All(measurements.Of(PlaybooksTelemetry.CrmSyncOutcomesInstrument), m => Assert.Equal("salesforce", m.Tags[PlaybooksTelemetry.ProviderTag]));
        var writes = spans.Named(CallTrace.CrmWriteSpan);
        var request = Assert.Single(writes, s => s.TraceId != CallTrace.ContextOf("CA-synced").TraceId && s.TraceId != CallTrace.ContextOf("CA-failed").TraceId);
        var call = Assert.Single(writes, s => s.TraceId == CallTrace.ContextOf("CA-synced").TraceId);
        Assert.Equal("synced", call.GetTagItem(PlaybooksTelemetry.OutcomeTag));
        Assert.Equal(request.Context, Assert.Single(call.Links).Context);
        Assert.Equal(System.Diagnostics.ActivityStatusCode.Error, Assert.Single(writes, s => s.TraceId == CallTrace.ContextOf("CA-failed").TraceId).Status);
    }

    [Fact]
    public async Task TracedCrmConnector_ConnectorThrows_CountsAnErrorPerActivityAndRethrows()
    {
        // Arrange
        using var measurements = new RecordedMeasurements();
        var inner = new Mock<ICrmConnector>(MockBehavior.Strict);
        inner.SetupGet(c => c.Provider).Returns(CrmProvider.Dynamics);
        inner.Setup(c => c.WriteAsync(It.IsAny<CrmConnection>(), It.IsAny<IReadOnlyList<CallActivity>>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new InvalidOperationException("storage"));
        var connector = new TracedCrmConnector(inner.Object, TimeProvider.System);

        // Act
        var thrown = await Record.ExceptionAsync(() =>
            connector.WriteAsync(new CrmConnection { OrgId = TestCall.OrgId }, [Ended("CA-1"), Ended("CA-2")], CancellationToken.None));

        // Assert
        Assert.IsType<InvalidOperationException>(thrown);
        Assert.Equal(2, measurements.Sum(PlaybooksTelemetry.CrmSyncOutcomesInstrument, PlaybooksTelemetry.OutcomeTag, TracedCrmConnector.ErrorOutcome));
    }

    [Fact]
    public void Issue_VoiceAndPreflightTokens_CountsEachKind()
    {
        // Arrange
        using var measurements = new RecordedMeasurements();
        var issuer = new VoiceTokenIssuer(TestTwilioOptions.Wrap(o => o.PreflightTwimlAppSid = "AP00000000000000000000000000000001"));

        // Act
        issuer.Issue("org-1", "rep-1", DateTimeOffset.UtcNow);
        issuer.Issue("org-1", "rep-2", DateTimeOffset.UtcNow);
        issuer.IssuePreflight("org-1", "rep-1", DateTimeOffset.UtcNow);

        // Assert
        Assert.Equal(2, measurements.Sum(PlaybooksTelemetry.TokensMintedInstrument, PlaybooksTelemetry.TokenKindTag, "voice"));
        Assert.Equal(1, measurements.Sum(PlaybooksTelemetry.TokensMintedInstrument, PlaybooksTelemetry.TokenKindTag, "preflight"));
    }

    [Fact]
    public void Observe_DeadLetterDepth_ReportedByTheGauge()
    {
        // Arrange
        using var measurements = new RecordedMeasurements();

        // Act
        new DeadLetterMetrics().Observe(7);
        measurements.Observe();
        new DeadLetterMetrics().Observe(2);
        measurements.Observe();

        // Assert
        Assert.Equal([7.0, 2.0], measurements.Of(PlaybooksTelemetry.DeadLettersInstrument).Select(m => m.Value));
    }

    private static CallActivity Ended(string agentCallSid) =>
        CallActivity.Empty(new ActivityKey(TestCall.OrgId, agentCallSid)) with { Status = CallStatus.Completed };

    private static ServiceBusReceivedMessage Message(string body) =>
        ServiceBusModelFactory.ServiceBusReceivedMessage(
            body: BinaryData.FromString(body), messageId: Guid.NewGuid().ToString("N"), deliveryCount: 1, lockTokenGuid: Guid.NewGuid());
}
