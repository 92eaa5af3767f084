using System.Net;
using System.Xml.Linq;
using Microsoft.AspNetCore.WebUtilities;
using Moq;
using Playbooks.Calling.Calls;
using Playbooks.Calling.Orgs;
using Playbooks.Calling.Permissions;
using Playbooks.Calling.Tests.Twilio;
using Twilio.Exceptions;
using Twilio.Http;
using static Playbooks.Calling.Tests.Calls.CallsHarness;

namespace Playbooks.Calling.Tests.Calls;

public class CallServiceTests
{
    private const string AgentCallSid = "CAfeedfacefeedfacefeedfacefeedface";

    private readonly List<Request> _requests = [];

    private static string CallJson(string sid) => $$"""
        {"sid": "{{sid}}", "account_sid": "{{TestTwilioOptions.AccountSid}}", "status": "queued", "direction": "outbound-api"}
        """;

    private static string Value(Request request, string name) =>
        string.Join(" ", request.PostParams.Where(p => p.Key == name).Select(p => p.Value));

    private static Dictionary<string, string> QueryOf(string url) =>
        QueryHelpers.ParseQuery(new Uri(url).Query).ToDictionary(p => p.Key, p => p.Value.ToString());

    private CallsHarness PhoneUser(OrgSettings? org = null)
    {
        var harness = new CallsHarness().Allowing(CallingMethod.Phone).WithPerson(Person(CallingMethod.Phone)).WithOrg(org ?? Org()).RecordingCalls();
        harness.Rest.SetupGet(c => c.AccountSid).Returns(TestTwilioOptions.AccountSid);
        harness.Rest.Setup(c => c.RequestAsync(It.IsAny<Request>()))
            .Callback<Request>(_requests.Add)
            .ReturnsAsync(new Response(HttpStatusCode.Created, CallJson(AgentCallSid)));
        return harness;
    }

    [Fact]
    public async Task StartPhoneCallAsync_AllowedUser_CallsTheAgentPhoneFromTheOrgCallerId()
    {
        // Arrange
        var service = PhoneUser().Service();

        // Act
        var started = await service.StartPhoneCallAsync(Caller(), new PhoneCallRequest(Prospect, null), CancellationToken.None);

        // Assert
        Assert.Equal(AgentCallSid, started.Value?.CallSid);
        var request = Assert.Single(_requests);
        Assert.Equal(global::Twilio.Http.HttpMethod.Post, request.Method);
        Assert.EndsWith($"/Accounts/{TestTwilioOptions.AccountSid}/Calls.json", request.ConstructUrl().AbsolutePath);
        Assert.Equal(AgentPhone, Value(request, "To"));
        Assert.Equal(OrgCallerId, Value(request, "From"));
    }

    [Fact]
    public async Task StartPhoneCallAsync_AllowedUser_VoiceUrlCarriesASealedIntentForTheProspect()
    {
        // Arrange
        var harness = PhoneUser();

        // Act
        await harness.Service().StartPhoneCallAsync(Caller(), new PhoneCallRequest("+1 201 555 0123", "00Q5e00000ABCdE"), CancellationToken.None);

        // Assert
        var url = new Uri(Value(Assert.Single(_requests), "Url"));
        Assert.Equal(TestTwilioOptions.PublicBaseUrl + CallbackUrls.VoicePath, url.GetLeftPart(UriPartial.Path));
        var intent = harness.Intents.Unprotect(QueryOf(url.OriginalString)["intent"], Now);
        Assert.Equal(new CallIntentData(OrgId, UserId, Prospect, "00Q5e00000ABCdE", Now), intent.Value);
    }

    [Fact]
    public async Task StartPhoneCallAsync_AllowedUser_AsksForTheAgentLegsStatusCallbacks()
    {
        // Arrange
        var service = PhoneUser().Service();

        // Act
        await service.StartPhoneCallAsync(Caller(), new PhoneCallRequest(Prospect, null), CancellationToken.None);

        // Assert
        var request = Assert.Single(_requests);
        var statusCallback = Value(request, "StatusCallback");
        Assert.Equal(TestTwilioOptions.PublicBaseUrl + CallbackUrls.StatusPath, new Uri(statusCallback).GetLeftPart(UriPartial.Path));
        Assert.Equal(
            new Dictionary<string, string> { ["orgId"] = OrgId, ["userId"] = UserId, ["method"] = "phone", ["leg"] = "agent" },
            QueryOf(statusCallback));
        Assert.Equal("initiated ringing answered completed", Value(request, "StatusCallbackEvent"));
    }

    [Theory]
    [InlineData(null, "7200")]
    [InlineData(45, "2700")]
    [InlineData(240, "14400")]
    public async Task StartPhoneCallAsync_AllowedUser_TheAgentLegEndsAtTheOrgsCallLimit(int? maxCallMinutes, string timeLimit)
    {
        // Arrange: the org's longest call, or the default of two hours.
        var org = maxCallMinutes is { } minutes ? Org() with { MaxCallMinutes = minutes } : Org();
        var service = PhoneUser(org).Service();

        // Act
        await service.StartPhoneCallAsync(Caller(), new PhoneCallRequest(Prospect, null), CancellationToken.None);

        // Assert
        Assert.Equal(timeLimit, Value(Assert.Single(_requests), "TimeLimit"));
    }

    [Fact]
    public async Task StartPhoneCallAsync_AllowedUser_RecordsTheAgentLegForItsOwner()
    {
        // Arrange
        var harness = PhoneUser();

        // Act
        await harness.Service().StartPhoneCallAsync(Caller(), new PhoneCallRequest(Prospect, null), CancellationToken.None);

        // Assert
        Assert.Equal(new CallRecord(OrgId, AgentCallSid, UserId, CallingMethod.Phone, Prospect, Now), Assert.Single(harness.Recorded));
    }

    [Fact]
    public async Task StartPhoneCallAsync_NumberUnverifiedBeforeTheRepPressesOne_TheConfirmSaysSoAndDialsNobody()
    {
        // Arrange: the call starts with a verified number; the rep changes it (unverified again) while it rings.
        var harness = PhoneUser();
        await harness.Service().StartPhoneCallAsync(Caller(), new PhoneCallRequest(Prospect, null), CancellationToken.None);
        var intent = QueryOf(Value(Assert.Single(_requests), "Url"))["intent"];
        harness.Refusing(CallingMethod.Phone, CallingPreferencePolicy.AgentPhoneUnverified);

        // Act
        var answer = await harness.Connector().ConnectAsync(
            new VoiceRequest(AgentCallSid, OrgCallerId, AgentPhone, intent, null) { Confirmed = true }, CancellationToken.None);

        // Assert
        Assert.Equal(CallingPreferencePolicy.AgentPhoneUnverified, answer.Refusal?.Code);
        var verbs = XDocument.Parse(answer.Twiml).Root!.Elements().ToList();
        Assert.Equal(["Say", "Hangup"], verbs.Select(v => v.Name.LocalName));
        Assert.Contains("not verified", verbs[0].Value, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartPhoneCallAsync_RepAnswers_TheVoiceWebhookDialsTheProspect()
    {
        // Arrange
        var harness = PhoneUser(Org(RecordingMode.DualChannel));
        await harness.Service().StartPhoneCallAsync(Caller(), new PhoneCallRequest(Prospect, null), CancellationToken.None);
        var intent = QueryOf(Value(Assert.Single(_requests), "Url"))["intent"];

        // Act: the rep picked up and pressed 1; the <Gather> action posts the agent leg's form with the same intent.
        var answer = await harness.Connector().ConnectAsync(
            new VoiceRequest(AgentCallSid, OrgCallerId, AgentPhone, intent, null) { Confirmed = true }, CancellationToken.None);

        // Assert
        var dial = XDocument.Parse(answer.Twiml).Root!.Elements().Single();
        Assert.Equal("Dial", dial.Name.LocalName);
        Assert.Equal(OrgCallerId, (string?)dial.Attribute("callerId"));
        Assert.Equal("record-from-answer-dual", (string?)dial.Attribute("record"));
        Assert.Equal(Prospect, dial.Elements().Single().Value);
    }

    [Theory]
    [InlineData(CallingPreferencePolicy.NoAgentPhone)]
    [InlineData(CallingPreferencePolicy.AgentPhoneUnverified)]
    [InlineData(CallingPreferencePolicy.GroupForbidsPhone)]
    public async Task StartPhoneCallAsync_AccessRefused_IsForbiddenAndNothingIsCalled(string reason)
    {
        // Arrange
        var harness = new CallsHarness().WithPerson(Person(CallingMethod.Phone)).Refusing(CallingMethod.Phone, reason);

        // Act
        var result = await harness.Service().StartPhoneCallAsync(Caller(), new PhoneCallRequest(Prospect, null), CancellationToken.None);

        // Assert
        Assert.Equal(FailureKind.Forbidden, result.Failure?.Kind);
        Assert.Equal(reason, result.Failure?.Code);
        harness.Rest.VerifyNoOtherCalls();
    }

    [Theory]
    [InlineData("+19002345678", DestinationPolicy.PremiumRate)]
    [InlineData("+442079460123", DestinationPolicy.CountryNotAllowed)]
    [InlineData("2015550123", DestinationPolicy.Malformed)]
    [InlineData(null, DestinationPolicy.Malformed)]
    [InlineData("+12015550123000000000", DestinationPolicy.TooLong)]
    public async Task StartPhoneCallAsync_BadDestination_IsInvalidOnToAndNothingIsCalled(string? to, string code)
    {
        // Arrange
        var harness = new CallsHarness().Allowing(CallingMethod.Phone).WithPerson(Person(CallingMethod.Phone)).WithOrg(Org());

        // Act
        var result = await harness.Service().StartPhoneCallAsync(Caller(), new PhoneCallRequest(to, null), CancellationToken.None);

        // Assert
        Assert.Equal(FailureKind.Invalid, result.Failure?.Kind);
        Assert.Equal(code, result.Failure?.Code);
        Assert.Equal("to", result.Failure?.Field);
        harness.Rest.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task StartPhoneCallAsync_MalformedWhoId_IsInvalidOnWhoId()
    {
        // Arrange
        var harness = new CallsHarness().Allowing(CallingMethod.Phone).WithPerson(Person(CallingMethod.Phone)).WithOrg(Org());

        // Act
        var result = await harness.Service().StartPhoneCallAsync(Caller(), new PhoneCallRequest(Prospect, "a&b"), CancellationToken.None);

        // Assert
        Assert.Equal("whoId", result.Failure?.Field);
        harness.Rest.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task StartPhoneCallAsync_TwilioRejectsTheAgentPhone_ReturnsTheGatewaysFailureAndRecordsNothing()
    {
        // Arrange
        var harness = new CallsHarness().Allowing(CallingMethod.Phone).WithPerson(Person(CallingMethod.Phone)).WithOrg(Org());
        harness.Rest.SetupGet(c => c.AccountSid).Returns(TestTwilioOptions.AccountSid);
        harness.Rest.Setup(c => c.RequestAsync(It.IsAny<Request>())).ThrowsAsync(new ApiException(21211, 400, "Invalid 'To' Phone Number", ""));

        // Act
        var result = await harness.Service().StartPhoneCallAsync(Caller(), new PhoneCallRequest(Prospect, null), CancellationToken.None);

        // Assert
        Assert.Equal("agent-phone-invalid", result.Failure?.Code);
        harness.Ledger.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task StartPhoneCallAsync_OverThePerUserLimit_IsRateLimitedWithRetryAfterAndTwilioIsNotCalled()
    {
        // Arrange
        var harness = PhoneUser();
        var limiter = new CallRateLimiter(TestTwilioOptions.Wrap(o => o.CallRequestsPerMinute = 2), harness.Time.Object);
        var service = harness.Service(limiter);
        await service.StartPhoneCallAsync(Caller(), new PhoneCallRequest(Prospect, null), CancellationToken.None);
        await service.StartPhoneCallAsync(Caller(), new PhoneCallRequest(Prospect, null), CancellationToken.None);

        // Act
        var result = await service.StartPhoneCallAsync(Caller(), new PhoneCallRequest(Prospect, null), CancellationToken.None);

        // Assert
        Assert.Equal(FailureKind.RateLimited, result.Failure?.Kind);
        Assert.Equal(CallService.RateLimited, result.Failure?.Code);
        Assert.Equal(TimeSpan.FromSeconds(34), result.Failure?.RetryAfter); // Now is 15:09:26; the budget is back at 15:10
        Assert.Equal(2, _requests.Count);
    }

    [Fact]
    public async Task StartPhoneCallAsync_BadDestinations_DoNotUseUpTheRateLimit()
    {
        // Arrange
        var harness = PhoneUser();
        var limiter = new CallRateLimiter(TestTwilioOptions.Wrap(o => o.CallRequestsPerMinute = 1), harness.Time.Object);
        var service = harness.Service(limiter);
        await service.StartPhoneCallAsync(Caller(), new PhoneCallRequest("+19002345678", null), CancellationToken.None);

        // Act
        var result = await service.StartPhoneCallAsync(Caller(), new PhoneCallRequest(Prospect, null), CancellationToken.None);

        // Assert
        Assert.True(result.IsSuccess);
    }

    [Fact]
    public async Task StartPhoneCallAsync_OrgCallerIdNoLongerAssigned_IsRefusedAndTwilioIsNotCalled()
    {
        // Arrange
        var harness = PhoneUser();
        harness.CallerIds.Setup(c => c.IsAssignedAsync(OrgId, OrgCallerId, It.IsAny<CancellationToken>())).ReturnsAsync(false);

        // Act
        var result = await harness.Service().StartPhoneCallAsync(Caller(), new PhoneCallRequest(Prospect, null), CancellationToken.None);

        // Assert
        Assert.Equal(FailureKind.Conflict, result.Failure?.Kind);
        Assert.Equal(Playbooks.Calling.CallerIds.CallerIdService.NotAssigned, result.Failure?.Code);
        Assert.Empty(_requests);
    }

    private CallsHarness WithLedgerRow(string orgId, string userId)
    {
        var harness = new CallsHarness();
        harness.Ledger.Setup(l => l.GetAsync(It.IsAny<string>(), AgentCallSid, It.IsAny<CancellationToken>()))
            .ReturnsAsync((string org, string sid, CancellationToken _) =>
                org == orgId ? new CallRecord(orgId, sid, userId, CallingMethod.Computer, Prospect, Now) : null);
        return harness;
    }

    [Fact]
    public async Task EndCallAsync_OwnCall_HangsItUp()
    {
        // Arrange
        var harness = WithLedgerRow(OrgId, UserId);
        harness.Rest.SetupGet(c => c.AccountSid).Returns(TestTwilioOptions.AccountSid);
        harness.Rest.Setup(c => c.RequestAsync(It.IsAny<Request>())).Callback<Request>(_requests.Add).ReturnsAsync(new Response(HttpStatusCode.OK, CallJson(AgentCallSid)));

        // Act
        var result = await harness.Service().EndCallAsync(Caller(), AgentCallSid, CancellationToken.None);

        // Assert
        Assert.True(result.Value?.Ended);
        var request = Assert.Single(_requests);
        Assert.EndsWith($"/Calls/{AgentCallSid}.json", request.ConstructUrl().AbsolutePath);
        Assert.Equal("completed", Value(request, "Status"));
    }

    [Fact]
    public async Task EndCallAsync_OwnCallAlreadyOver_ReportsNotEnded()
    {
        // Arrange
        var harness = WithLedgerRow(OrgId, UserId);
        harness.Rest.SetupGet(c => c.AccountSid).Returns(TestTwilioOptions.AccountSid);
        harness.Rest.Setup(c => c.RequestAsync(It.IsAny<Request>())).ThrowsAsync(new ApiException(21220, 400, "Call is not in-progress", ""));

        // Act
        var result = await harness.Service().EndCallAsync(Caller(), AgentCallSid, CancellationToken.None);

        // Assert
        Assert.False(result.Value?.Ended);
    }

    [Fact]
    public async Task EndCallAsync_AnotherUsersCall_IsNotFoundAndNotHungUp()
    {
        // Arrange
        var harness = WithLedgerRow(OrgId, "someone-else");

        // Act
        var result = await harness.Service().EndCallAsync(Caller(), AgentCallSid, CancellationToken.None);

        // Assert
        Assert.Equal(FailureKind.NotFound, result.Failure?.Kind);
        harness.Rest.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task EndCallAsync_AnotherOrgsCall_IsNotFoundAndNotHungUp()
    {
        // Arrange: same user id, other org.
        var harness = WithLedgerRow("org-2", UserId);

        // Act
        var result = await harness.Service().EndCallAsync(Caller(), AgentCallSid, CancellationToken.None);

        // Assert
        Assert.Equal(FailureKind.NotFound, result.Failure?.Kind);
        harness.Rest.VerifyNoOtherCalls();
    }
}
