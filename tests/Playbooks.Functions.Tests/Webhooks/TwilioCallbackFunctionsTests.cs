using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Moq;
using Playbooks.Calling.Activity;
using Playbooks.Calling.CallEvents;
using Playbooks.Calling.Orgs;
using Playbooks.Functions.Http;
using Playbooks.Functions.Webhooks;

namespace Playbooks.Functions.Tests.Webhooks;

public class TwilioCallbackFunctionsTests
{
    private const string StatusPath = "/api/twilio/status?orgId=org-1&userId=user-1&method=computer&agentCallSid=CA01&crmWhoId=003xx";
    private const string RecordingPath = "/api/twilio/recording-status?orgId=org-1&userId=user-1&method=phone";

    private static readonly DateTimeOffset ReceivedAt = new(2025, 3, 14, 9, 0, 5, TimeSpan.Zero);

    private static readonly Dictionary<string, string> RingingForm = new()
    {
        ["CallSid"] = "CA02",
        ["ParentCallSid"] = "CA01",
        ["CallStatus"] = "ringing",
        ["SequenceNumber"] = "1",
        ["Timestamp"] = "Fri, 14 Mar 2025 09:00:03 +0000",
        ["To"] = "+12015550123",
    };

    private static readonly Dictionary<string, string> RecordingForm = new()
    {
        ["CallSid"] = "CA01",
        ["RecordingSid"] = "RE01",
        ["RecordingStatus"] = "completed",
        ["RecordingDuration"] = "42",
        ["RecordingUrl"] = "https://api.twilio.com/2010-04-01/Accounts/AC0/Recordings/RE01",
    };

    private readonly Mock<ICallEventPublisher> _publisher = new(MockBehavior.Strict);
    private readonly List<CallEventMessage> _published = [];

    private FakeTimeProvider Time { get; } = new(ReceivedAt);

    private TwilioStatusFunction Status() =>
        new(TwilioRequests.Signature, _publisher.Object, Time, NullLogger<TwilioStatusFunction>.Instance);

    private TwilioRecordingStatusFunction Recording() =>
        new(TwilioRequests.Signature, _publisher.Object, Time, NullLogger<TwilioRecordingStatusFunction>.Instance);

    private void Accepting() =>
        _publisher.Setup(p => p.PublishAsync(It.IsAny<CallEventMessage>(), It.IsAny<CancellationToken>()))
            .Callback<CallEventMessage, CancellationToken>((m, _) => _published.Add(m))
            .Returns(Task.CompletedTask);

    private static ProblemResponse ProblemOf(IActionResult result) => Assert.IsType<ProblemActionResult>(result).Problem;

    [Fact]
    public async Task Status_SignedCallback_QueuesTheEventAndAnswers204()
    {
        // Arrange
        Accepting();

        // Act
        var result = await Status().Run(TwilioRequests.Post(StatusPath, RingingForm), CancellationToken.None);

        // Assert
        Assert.IsType<NoContentResult>(result);
        var message = Assert.Single(_published);
        Assert.Equal(CallEventKind.CallStatus, message.Kind);
        Assert.Equal(("org-1", "user-1", CallingMethod.Computer), (message.OrgId, message.UserId, message.Method));
        Assert.Equal(("CA02", CallLeg.Prospect, CallStatus.Ringing), (message.CallSid, message.Leg, message.CallStatus));
        Assert.Equal(("CA01", "003xx"), (message.AgentCallSid, message.CrmWhoId));
        Assert.Equal(ReceivedAt, message.ReceivedAt);
    }

    [Fact]
    public async Task Status_TamperedUrl_Returns403AndQueuesNothing()
    {
        // Arrange: the query names the org the event is written to, so it must be covered by the signature.
        var signature = TwilioRequests.Sign(TwilioRequests.PublicBaseUrl + StatusPath, RingingForm);
        var request = TwilioRequests.Post(StatusPath.Replace("orgId=org-1", "orgId=org-2"), RingingForm, signature);

        // Act
        var result = await Status().Run(request, CancellationToken.None);

        // Assert
        Assert.Equal(403, ProblemOf(result).Status);
        _publisher.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task Status_TamperedParameter_Returns403AndQueuesNothing()
    {
        // Arrange
        var signature = TwilioRequests.Sign(TwilioRequests.PublicBaseUrl + StatusPath, RingingForm);
        var tampered = new Dictionary<string, string>(RingingForm) { ["CallStatus"] = "completed" };

        // Act
        var result = await Status().Run(TwilioRequests.Post(StatusPath, tampered, signature), CancellationToken.None);

        // Assert
        Assert.Equal(TwilioWebhook.SignatureInvalid, ProblemOf(result).Code);
        _publisher.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task Status_MissingSignature_Returns403AndQueuesNothing()
    {
        // Act
        var result = await Status().Run(TwilioRequests.Post(StatusPath, RingingForm, signature: ""), CancellationToken.None);

        // Assert
        Assert.Equal(403, ProblemOf(result).Status);
        _publisher.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task Status_SignedButUnreadable_Returns400AndQueuesNothing()
    {
        // Arrange
        var form = new Dictionary<string, string>(RingingForm) { ["SequenceNumber"] = "first" };

        // Act
        var result = await Status().Run(TwilioRequests.Post(StatusPath, form), CancellationToken.None);

        // Assert
        var problem = ProblemOf(result);
        Assert.Equal(400, problem.Status);
        Assert.Equal("SequenceNumber", problem.Field);
        _publisher.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task Status_QueueRefuses_Returns503SoTwilioRetries()
    {
        // Arrange
        _publisher.Setup(p => p.PublishAsync(It.IsAny<CallEventMessage>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new InvalidOperationException("queue down"));

        // Act
        var result = await Status().Run(TwilioRequests.Post(StatusPath, RingingForm), CancellationToken.None);

        // Assert
        var problem = ProblemOf(result);
        Assert.Equal(503, problem.Status);
        Assert.Equal(TwilioCallbacks.QueueUnavailable, problem.Code);
    }

    [Fact]
    public async Task Status_QueueHangs_Returns503BeforeTwilioStopsReading()
    {
        // Arrange: the queue never answers (storage down, the client retrying), until the request gives up on it.
        _publisher.Setup(p => p.PublishAsync(It.IsAny<CallEventMessage>(), It.IsAny<CancellationToken>()))
            .Returns<CallEventMessage, CancellationToken>((_, ct) => Task.Delay(Timeout.Infinite, ct));

        // Act
        var answering = Status().Run(TwilioRequests.Post(StatusPath, RingingForm), CancellationToken.None);
        Time.Advance(TwilioCallbacks.QueueBudget - TimeSpan.FromMilliseconds(1));
        var answeredEarly = answering.IsCompleted;
        Time.Advance(TimeSpan.FromMilliseconds(1));
        var result = await answering.WaitAsync(TimeSpan.FromSeconds(30)); // a safety net: without the budget it never answers

        // Assert: 503 inside Twilio's 4 s read timeout, so Twilio retries on our answer rather than on its timeout.
        Assert.False(answeredEarly, "answered before the queue's budget was spent");
        var problem = ProblemOf(result);
        Assert.Equal(503, problem.Status);
        Assert.Equal(TwilioCallbacks.QueueUnavailable, problem.Code);
        var readTimeout = int.Parse(Regex.Match(Playbooks.Calling.Calls.CallbackUrls.ConnectionOverrides, @"rt=(\d+)").Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.True(TwilioCallbacks.QueueBudget < TimeSpan.FromMilliseconds(readTimeout), "the budget fits in the read timeout our callback URLs give Twilio");
    }

    [Fact]
    public async Task RecordingStatus_SignedCallback_QueuesTheRecording()
    {
        // Arrange
        Accepting();

        // Act
        var result = await Recording().Run(TwilioRequests.Post(RecordingPath, RecordingForm), CancellationToken.None);

        // Assert
        Assert.IsType<NoContentResult>(result);
        var message = Assert.Single(_published);
        Assert.Equal(CallEventKind.RecordingStatus, message.Kind);
        Assert.Equal(("org-1", "CA01", "RE01", 42), (message.OrgId, message.CallSid, message.RecordingSid, message.RecordingDuration));
    }

    [Fact]
    public async Task RecordingStatus_MissingSignature_Returns403AndQueuesNothing()
    {
        // Act
        var result = await Recording().Run(TwilioRequests.Post(RecordingPath, RecordingForm, signature: ""), CancellationToken.None);

        // Assert
        Assert.Equal(403, ProblemOf(result).Status);
        _publisher.VerifyNoOtherCalls();
    }
}
