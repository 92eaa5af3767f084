using Azure.Messaging.ServiceBus;
using Microsoft.Extensions.Time.Testing;
using Moq;
using Playbooks.Calling.Activity;
using Playbooks.Calling.CallEvents;
using Playbooks.Calling.Telemetry;
using Playbooks.Calling.Tests.Telemetry;
using TestCall = Playbooks.Calling.Tests.Activity.CallEvents;

namespace Playbooks.Calling.Tests.CallEvents;

/// <summary>The queuing span's trace context reaches the activity writer through both queues, retries included.</summary>
[Collection(TelemetryCollection.Name)]
public class QueueTraceContextTests
{
    private static readonly TimeSpan NoWait = TimeSpan.Zero;
    private readonly TestCall events = new();

    [Fact]
    public async Task ServiceBus_PublishedInsideATrace_ReceivedAndRequeuedWithThePublishSpansContext()
    {
        // Arrange
        using var spans = new RecordedSpans();
        var sender = new Mock<ServiceBusSender>(MockBehavior.Strict);
        var sent = new List<ServiceBusMessage>();
        sender.Setup(s => s.SendMessageAsync(It.IsAny<ServiceBusMessage>(), It.IsAny<CancellationToken>()))
            .Callback((ServiceBusMessage m, CancellationToken _) => sent.Add(m))
            .Returns(Task.CompletedTask);
        var receiver = new Mock<ServiceBusReceiver>(MockBehavior.Strict);
        receiver.Setup(r => r.CompleteMessageAsync(It.IsAny<ServiceBusReceivedMessage>(), It.IsAny<CancellationToken>())).Returns(Task.CompletedTask);
        var e = events.Status(CallStatus.Completed, 3, 40, 31);

        // Act: publish, receive what was sent, retry it, receive the copy.
        await new ServiceBusCallEventPublisher(sender.Object).PublishAsync(e, CancellationToken.None);
        var published = Received(sent[0]);
        var source = new ServiceBusCallEventSource(receiver.Object, sender.Object, new FakeTimeProvider(new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero)));
        receiver.SetupSequence(r => r.ReceiveMessagesAsync(It.IsAny<int>(), It.IsAny<TimeSpan?>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync([published])
            .ReturnsAsync(() => [Received(sent[1])]);
        var first = Assert.Single(await source.ReceiveAsync(32, NoWait, CancellationToken.None));
        await first.RetryLaterAsync(TimeSpan.FromSeconds(5), CancellationToken.None);
        var copy = Assert.Single(await source.ReceiveAsync(32, NoWait, CancellationToken.None));

        // Assert
        var span = Assert.Single(spans.Named(CallTrace.PublishSpan));
        var traceParent = $"00-{span.TraceId.ToHexString()}-{span.SpanId.ToHexString()}-01";
        Assert.Equal(traceParent, sent[0].ApplicationProperties[CallTrace.TraceParentProperty]);
        Assert.Equal(traceParent, sent[0].ApplicationProperties[CallTrace.DiagnosticIdProperty]);
        Assert.Equal(traceParent, first.TraceParent);
        Assert.Equal(traceParent, copy.TraceParent);
    }

    [Fact]
    public async Task ServiceBus_PublishedWithNoOneListening_NoTraceProperties()
    {
        // Arrange
        var sender = new Mock<ServiceBusSender>(MockBehavior.Strict);
        ServiceBusMessage? sent = null;
        sender.Setup(s => s.SendMessageAsync(It.IsAny<ServiceBusMessage>(), It.IsAny<CancellationToken>()))
            .Callback((ServiceBusMessage m, CancellationToken _) => sent = m)
            .Returns(Task.CompletedTask);

        // Act
        await new ServiceBusCallEventPublisher(sender.Object).PublishAsync(events.Status(CallStatus.Ringing, 1, 3), CancellationToken.None);

        // Assert
        Assert.NotNull(sent);
        Assert.False(sent.ApplicationProperties.ContainsKey(CallTrace.TraceParentProperty));
    }

    [Fact]
    public async Task StorageQueue_PublishedInsideATrace_ReceivedAndRetriedWithThePublishSpansContext()
    {
        // Arrange
        using var spans = new RecordedSpans();
        var queues = await TestQueues.CreateAsync();
        var e = events.Status(CallStatus.Completed, 3, 40, 31);

        // Act
        await queues.PublishAsync(e, CancellationToken.None);
        var first = Assert.Single(await queues.ReceiveAsync(32, NoWait, CancellationToken.None));
        await first.RetryLaterAsync(TimeSpan.Zero, CancellationToken.None);
        var again = Assert.Single(await queues.ReceiveAsync(32, NoWait, CancellationToken.None));

        // Assert
        var span = Assert.Single(spans.Named(CallTrace.PublishSpan));
        var traceParent = $"00-{span.TraceId.ToHexString()}-{span.SpanId.ToHexString()}-01";
        Assert.Equal(traceParent, first.TraceParent);
        Assert.Equal((0, e), (first.Attempts, CallEventSerializer.TryDeserialize(first.Body).Value));
        Assert.Equal(traceParent, again.TraceParent);
        Assert.Equal((1, e), (again.Attempts, CallEventSerializer.TryDeserialize(again.Body).Value));
    }

    [Fact]
    public async Task StorageQueue_PublishedWithNoOneListening_PlainPayloadWithoutContext()
    {
        // Arrange
        var queues = await TestQueues.CreateAsync();
        var e = events.Status(CallStatus.Ringing, 1, 3);

        // Act
        await queues.PublishAsync(e, CancellationToken.None);
        var raw = Assert.Single((await queues.Queue.PeekMessagesAsync(1)).Value);
        var received = Assert.Single(await queues.ReceiveAsync(32, NoWait, CancellationToken.None));

        // Assert
        Assert.Equal(CallEventSerializer.Serialize(e), raw.Body.ToString());
        Assert.Null(received.TraceParent);
    }

    private static ServiceBusReceivedMessage Received(ServiceBusMessage sent) =>
        ServiceBusModelFactory.ServiceBusReceivedMessage(
            body: sent.Body, messageId: sent.MessageId, deliveryCount: 1, lockTokenGuid: Guid.NewGuid(),
            properties: new Dictionary<string, object>(sent.ApplicationProperties));
}
