using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Moq;
using Playbooks.Calling.Calls;
using Playbooks.Calling.Tests.Twilio;
using Twilio.Clients;
using Twilio.Exceptions;
using Twilio.Http;
using TwilioHttpMethod = Twilio.Http.HttpMethod;

namespace Playbooks.Calling.Tests.Calls;

public class TwilioCallGatewayTests
{
    private const string AccountSid = TestTwilioOptions.AccountSid;
    private const string CallSid = "CAfeedfacefeedfacefeedfacefeedface";

    private static readonly Uri VoiceUrl = new("https://calls.playbooks.example/api/twilio/voice?intent=abc.def#ct=2000&rc=3");
    private static readonly Uri StatusUrl = new("https://calls.playbooks.example/api/twilio/status?org=o&user=u&method=phone&leg=agent#rc=3");

    private readonly Mock<ITwilioRestClient> _client = new(MockBehavior.Strict);
    private readonly List<Request> _requests = [];

    private TwilioCallGateway CreateGateway(HttpStatusCode status, string json)
    {
        _client.SetupGet(c => c.AccountSid).Returns(AccountSid);
        _client.Setup(c => c.RequestAsync(It.IsAny<Request>()))
            .Callback<Request>(_requests.Add)
            .ReturnsAsync(new Response(status, json));
        return new TwilioCallGateway(_client.Object, NullLogger<TwilioCallGateway>.Instance);
    }

    private TwilioCallGateway CreateGatewayThrowing(Exception ex)
    {
        _client.SetupGet(c => c.AccountSid).Returns(AccountSid);
        _client.Setup(c => c.RequestAsync(It.IsAny<Request>())).Callback<Request>(_requests.Add).ThrowsAsync(ex);
        return new TwilioCallGateway(_client.Object, NullLogger<TwilioCallGateway>.Instance);
    }

    // TwilioRestClient turns a non-2xx answer into this exception before any resource sees it.
    private static ApiException TwilioError(int code, HttpStatusCode status, string message) =>
        new(code, (int)status, message, $"https://www.twilio.com/docs/errors/{code}");

    private static string CallJson(string status) => $$"""
        {
          "sid": "{{CallSid}}",
          "account_sid": "{{AccountSid}}",
          "to": "+14155550100",
          "from": "+14155550199",
          "status": "{{status}}",
          "direction": "outbound-api",
          "api_version": "2010-04-01",
          "date_created": "Fri, 14 Mar 2025 09:00:00 +0000",
          "uri": "/2010-04-01/Accounts/{{AccountSid}}/Calls/{{CallSid}}.json"
        }
        """;

    private static string Values(Request request, string name) =>
        string.Join(" ", request.PostParams.Where(p => p.Key == name).Select(p => p.Value));

    [Fact]
    public async Task StartAgentLegAsync_Twilio201_ReturnsTheCallSid()
    {
        // Arrange
        var gateway = CreateGateway(HttpStatusCode.Created, CallJson("queued"));

        // Act
        var result = await gateway.StartAgentLegAsync("+14155550100", "+14155550199", VoiceUrl, StatusUrl, 7200, CancellationToken.None);

        // Assert
        Assert.Equal(CallSid, result.Value);
    }

    [Fact]
    public async Task StartAgentLegAsync_ValidRequest_PostsToTheAccountsCallsResource()
    {
        // Arrange
        var gateway = CreateGateway(HttpStatusCode.Created, CallJson("queued"));

        // Act
        await gateway.StartAgentLegAsync("+14155550100", "+14155550199", VoiceUrl, StatusUrl, 7200, CancellationToken.None);

        // Assert
        var request = Assert.Single(_requests);
        Assert.Equal(TwilioHttpMethod.Post, request.Method);
        Assert.Equal($"/2010-04-01/Accounts/{AccountSid}/Calls.json", request.ConstructUrl().AbsolutePath);
        Assert.Equal("api.twilio.com", request.ConstructUrl().Host);
    }

    [Fact]
    public async Task StartAgentLegAsync_ValidRequest_CallsTheAgentFromTheCallerIdWithOurWebhooks()
    {
        // Arrange
        var gateway = CreateGateway(HttpStatusCode.Created, CallJson("queued"));

        // Act
        await gateway.StartAgentLegAsync("+14155550100", "+14155550199", VoiceUrl, StatusUrl, 7200, CancellationToken.None);

        // Assert
        var request = Assert.Single(_requests);
        Assert.Equal("+14155550100", Values(request, "To"));
        Assert.Equal("+14155550199", Values(request, "From"));
        Assert.Equal(VoiceUrl.OriginalString, Values(request, "Url"));
        Assert.Equal("POST", Values(request, "Method"));
        Assert.Equal(StatusUrl.OriginalString, Values(request, "StatusCallback"));
        Assert.Equal("POST", Values(request, "StatusCallbackMethod"));
        Assert.Equal("initiated ringing answered completed", Values(request, "StatusCallbackEvent"));
    }

    [Fact]
    public async Task StartAgentLegAsync_TimeLimit_SentAsTheCallsTimeLimit()
    {
        // Arrange
        var gateway = CreateGateway(HttpStatusCode.Created, CallJson("queued"));

        // Act
        await gateway.StartAgentLegAsync("+14155550100", "+14155550199", VoiceUrl, StatusUrl, 2700, CancellationToken.None);

        // Assert
        Assert.Equal("2700", Values(Assert.Single(_requests), "TimeLimit"));
    }

    [Theory]
    [InlineData(21211, "agent-phone-invalid", FailureKind.Invalid)]
    [InlineData(21210, "caller-id-not-usable", FailureKind.Conflict)]
    [InlineData(21215, "agent-phone-blocked", FailureKind.Forbidden)]
    [InlineData(20003, "telephony-unavailable", FailureKind.Unavailable)]
    public async Task StartAgentLegAsync_TwilioError_MapsToAFailure(int code, string expectedCode, FailureKind expectedKind)
    {
        // Arrange
        var gateway = CreateGatewayThrowing(TwilioError(code, HttpStatusCode.BadRequest, "Twilio says no"));

        // Act
        var result = await gateway.StartAgentLegAsync("+1415", "+14155550199", VoiceUrl, StatusUrl, 7200, CancellationToken.None);

        // Assert
        Assert.Equal(expectedCode, result.Failure?.Code);
        Assert.Equal(expectedKind, result.Failure?.Kind);
    }

    [Fact]
    public async Task StartAgentLegAsync_InvalidAgentNumber_NamesTheAgentPhoneField()
    {
        // Arrange
        var gateway = CreateGatewayThrowing(TwilioError(21211, HttpStatusCode.BadRequest, "Invalid 'To' Phone Number: +1415"));

        // Act
        var result = await gateway.StartAgentLegAsync("+1415", "+14155550199", VoiceUrl, StatusUrl, 7200, CancellationToken.None);

        // Assert
        Assert.Equal("agentPhoneNumber", result.Failure?.Field);
    }

    [Fact]
    public async Task StartAgentLegAsync_TwilioUnreachable_IsUnavailable()
    {
        // Arrange
        var gateway = CreateGatewayThrowing(new ApiConnectionException("Connection Error: POST https://api.twilio.com/..."));

        // Act
        var result = await gateway.StartAgentLegAsync("+14155550100", "+14155550199", VoiceUrl, StatusUrl, 7200, CancellationToken.None);

        // Assert
        Assert.Equal(FailureKind.Unavailable, result.Failure?.Kind);
    }

    [Fact]
    public async Task StartAgentLegAsync_AlreadyCancelled_SendsNothing()
    {
        // Arrange
        var gateway = CreateGateway(HttpStatusCode.Created, CallJson("queued"));

        // Act / Assert
        await Assert.ThrowsAsync<OperationCanceledException>(() =>
            gateway.StartAgentLegAsync("+14155550100", "+14155550199", VoiceUrl, StatusUrl, 7200, new CancellationToken(canceled: true)));
        Assert.Empty(_requests);
    }

    [Fact]
    public async Task EndCallAsync_LiveCall_PostsStatusCompletedToTheCall()
    {
        // Arrange
        var gateway = CreateGateway(HttpStatusCode.OK, CallJson("completed"));

        // Act
        var result = await gateway.EndCallAsync(CallSid, CancellationToken.None);

        // Assert
        Assert.Equal(CallEndOutcome.Ended, result.Value);
        var request = Assert.Single(_requests);
        Assert.Equal(TwilioHttpMethod.Post, request.Method);
        Assert.Equal($"/2010-04-01/Accounts/{AccountSid}/Calls/{CallSid}.json", request.ConstructUrl().AbsolutePath);
        Assert.Equal([new KeyValuePair<string, string>("Status", "completed")], request.PostParams);
    }

    [Fact]
    public async Task EndCallAsync_CallAlreadyOver_IsAlreadyEnded()
    {
        // Arrange
        var gateway = CreateGatewayThrowing(TwilioError(21220, HttpStatusCode.BadRequest, "Call is not in-progress. Cannot redirect."));

        // Act
        var result = await gateway.EndCallAsync(CallSid, CancellationToken.None);

        // Assert
        Assert.Equal(CallEndOutcome.AlreadyEnded, result.Value);
    }

    [Fact]
    public async Task EndCallAsync_UnknownCall_IsNotFound()
    {
        // Arrange
        var gateway = CreateGatewayThrowing(TwilioError(20404, HttpStatusCode.NotFound, "The requested resource was not found"));

        // Act
        var result = await gateway.EndCallAsync("CA00000000000000000000000000000000", CancellationToken.None);

        // Assert
        Assert.Equal(FailureKind.NotFound, result.Failure?.Kind);
    }

    [Fact]
    public async Task EndCallAsync_TwilioServerError_IsUnavailableWithTheTwilioCode()
    {
        // Arrange
        var gateway = CreateGatewayThrowing(TwilioError(20500, HttpStatusCode.InternalServerError, "Internal Server Error"));

        // Act
        var result = await gateway.EndCallAsync(CallSid, CancellationToken.None);

        // Assert
        Assert.Equal("telephony-unavailable", result.Failure?.Code);
        Assert.Equal(20500, result.Failure?.Extensions?["twilioCode"]);
    }

    [Fact]
    public async Task StartVerificationCallAsync_ValidRequest_CallsTheNumberWithTheVerificationTwimlAndNoStatusCallback()
    {
        // Arrange
        var gateway = CreateGateway(HttpStatusCode.Created, CallJson("queued"));
        var twimlUrl = new Uri("https://calls.playbooks.example/api/twilio/agent-verification?orgId=o&userId=u&verificationId=v");

        // Act
        var result = await gateway.StartVerificationCallAsync("+14155550100", "+14155550199", twimlUrl, CancellationToken.None);

        // Assert
        Assert.Equal(CallSid, result.Value);
        var request = Assert.Single(_requests);
        Assert.Equal(("+14155550100", "+14155550199", twimlUrl.AbsoluteUri), (Values(request, "To"), Values(request, "From"), Values(request, "Url")));
        Assert.Equal("", Values(request, "StatusCallback"));
        Assert.Equal("300", Values(request, "TimeLimit"));
    }

    [Theory]
    [InlineData(21211, "agent-phone-invalid", FailureKind.Invalid)]
    [InlineData(21215, "agent-phone-blocked", FailureKind.Forbidden)]
    [InlineData(20500, "telephony-unavailable", FailureKind.Unavailable)]
    public async Task StartVerificationCallAsync_TwilioRefuses_ReturnsAFailureNotAnException(int code, string expected, FailureKind kind)
    {
        // Arrange
        var gateway = CreateGatewayThrowing(TwilioError(code, HttpStatusCode.BadRequest, "refused"));

        // Act
        var result = await gateway.StartVerificationCallAsync("+14155550100", "+14155550199", VoiceUrl, CancellationToken.None);

        // Assert
        Assert.Equal((kind, expected), (result.Failure?.Kind, result.Failure?.Code));
    }
}
