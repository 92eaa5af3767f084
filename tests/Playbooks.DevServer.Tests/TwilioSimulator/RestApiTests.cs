using Microsoft.Extensions.Logging.Abstractions;
using Playbooks.Calling.Calls;
using Playbooks.DevServer.TwilioSimulator;
using Twilio.Exceptions;
using Twilio.Rest.Api.V2010.Account;
using Twilio.Types;
using TwilioHttpMethod = Twilio.Http.HttpMethod;

namespace Playbooks.DevServer.Tests.TwilioSimulator;

/// <summary>Phone-based calls: our gateway and the Twilio library, pointed at the simulator by RestApiBaseUrl.</summary>
[Collection(SimulatorCollection.Name)]
public sealed class RestApiTests(SimulatorServer server)
{
    private const string AgentPhone = "+15005550002";

    private readonly SimulatorClient _sim = server.Simulator;

    [Theory]
    [InlineData("+15005550006", true)] // the demo org's caller ID, in the owned +1500* range
    [InlineData("+15002345678", true)]
    [InlineData("+14155550123", false)]
    public async Task IncomingPhoneNumbers_TwilioLibraryFiltersByPhoneNumber_ListsOnlyOwnedNumbers(string number, bool owned)
    {
        var page = await IncomingPhoneNumberResource.ReadAsync(phoneNumber: new PhoneNumber(number), limit: 20, client: server.RestClient());

        Assert.Equal(owned ? [number] : [], page.Select(n => n.PhoneNumber.ToString()));
        Assert.All(page, n => Assert.StartsWith("PN", n.Sid));
    }

    [Theory]
    [InlineData("+14155552671", true)]
    [InlineData("+14155550123", false)]
    public async Task OutgoingCallerIds_TwilioLibraryFiltersByPhoneNumber_ListsOnlyVerifiedCallerIds(string number, bool verified)
    {
        var page = await OutgoingCallerIdResource.ReadAsync(phoneNumber: new PhoneNumber(number), limit: 20, client: server.RestClient());

        Assert.Equal(verified ? [number] : [], page.Select(n => n.PhoneNumber.ToString()));
    }

    [Fact]
    public async Task CreateCall_TwilioLibrary_ReturnsTwilioCallResource()
    {
        var call = await CallResource.CreateAsync(
            to: new PhoneNumber(PhoneBehaviour.Busy), from: new PhoneNumber(FakeWebhooks.CallerId), url: Voice(PhoneBehaviour.Answers),
            client: server.RestClient());

        Assert.Matches("^CA[0-9a-f]{32}$", call.Sid);
        Assert.Equal((SimulatorSettings.AccountSid, PhoneBehaviour.Busy, FakeWebhooks.CallerId, "outbound-api"), (call.AccountSid, call.To, call.From, call.Direction));
        Assert.Equal(CallResource.StatusEnum.Queued, call.Status);
        Assert.NotNull(call.DateCreated);
        Assert.Equal($"/2010-04-01/Accounts/{SimulatorSettings.AccountSid}/Calls/{call.Sid}.json", call.Uri);
    }

    [Fact]
    public async Task StartAgentLeg_AgentAnswers_FetchesTwimlAndDialsProspectWithBothLegsReported()
    {
        var gateway = new TwilioCallGateway(server.RestClient(), NullLogger<TwilioCallGateway>.Instance);

        var started = await gateway.StartAgentLegAsync(AgentPhone, FakeWebhooks.CallerId, Voice(PhoneBehaviour.HangsUpAfter(5)), AgentStatus(), 7200, CancellationToken.None);
        var state = await _sim.WaitUntilSettledAsync(started.Value!);

        Assert.Equal(("completed", "completed", 5), (state.Status, state.ChildStatus, state.ChildDuration));
        var voice = Assert.Single(server.Webhooks.VoiceRequests(state.CallSid));
        Assert.True(voice.SignatureValid);
        Assert.Equal(("outbound-api", "in-progress", AgentPhone, FakeWebhooks.CallerId), (voice["Direction"], voice["CallStatus"], voice["To"], voice["From"]));
        Assert.StartsWith("?prospect=", voice.Query);
        var agent = server.Webhooks.StatusCallbacks(state.CallSid);
        Assert.Equal(["initiated", "ringing", "in-progress", "completed"], agent.Select(c => c["CallStatus"]));
        Assert.All(agent, c => Assert.Equal(("outbound-api", "?leg=agent"), (c["Direction"], c.Query)));
        Assert.All(agent, c => Assert.False(c.Form.ContainsKey("ParentCallSid")));
        Assert.Equal(state.Duration.ToString(), agent[^1]["CallDuration"]);
        var prospect = server.Webhooks.StatusCallbacks(state.ChildCallSid!);
        Assert.Equal(["initiated", "ringing", "in-progress", "completed"], prospect.Select(c => c["CallStatus"]));
        Assert.All(prospect, c => Assert.Equal(state.CallSid, c["ParentCallSid"]));
        Assert.Contains($"agentCallSid={state.CallSid}", prospect[0].Query);
    }

    [Fact]
    public async Task EndCall_AgentLegInProgress_CompletesBothLegsThenReportsAlreadyEnded()
    {
        var gateway = new TwilioCallGateway(server.RestClient(), NullLogger<TwilioCallGateway>.Instance);
        var agentSid = (await gateway.StartAgentLegAsync(AgentPhone, FakeWebhooks.CallerId, Voice(PhoneBehaviour.Answers), AgentStatus(), 7200, CancellationToken.None)).Value!;
        await _sim.WaitForCallAsync(agentSid, s => s.ChildStatus == "in-progress");

        var ended = await gateway.EndCallAsync(agentSid, CancellationToken.None);
        var state = await _sim.WaitUntilSettledAsync(agentSid);
        var again = await gateway.EndCallAsync(agentSid, CancellationToken.None);

        Assert.Equal((CallEndOutcome.Ended, CallEndOutcome.AlreadyEnded), (ended.Value, again.Value));
        Assert.Equal(("completed", "completed"), (state.Status, state.ChildStatus));
        Assert.Equal("completed", server.Webhooks.StatusCallbacks(state.ChildCallSid!)[^1]["CallStatus"]);
        Assert.Equal("completed", server.Webhooks.StatusCallbacks(agentSid)[^1]["CallStatus"]);
        var fetched = await CallResource.FetchAsync(pathSid: agentSid, client: server.RestClient());
        Assert.Equal((CallResource.StatusEnum.Completed, state.Duration.ToString()), (fetched.Status, fetched.Duration));
    }

    [Fact]
    public async Task UpdateCall_ProspectLeg_EndsProspectAndTheAgentLegAfterIt()
    {
        var agentSid = (await CallResource.CreateAsync(
            to: new PhoneNumber(AgentPhone), from: new PhoneNumber(FakeWebhooks.CallerId), url: Voice(PhoneBehaviour.Answers), client: server.RestClient())).Sid;
        var bridged = await _sim.WaitForCallAsync(agentSid, s => s.ChildStatus == "in-progress");

        var updated = await CallResource.UpdateAsync(pathSid: bridged.ChildCallSid!, status: CallResource.UpdateStatusEnum.Completed, client: server.RestClient());
        var state = await _sim.WaitUntilSettledAsync(agentSid);

        Assert.Equal(CallResource.StatusEnum.Completed, updated.Status);
        Assert.Equal(("completed", "completed"), (state.Status, state.ChildStatus));
    }

    [Fact]
    public async Task StartAgentLeg_AgentPhoneBusy_NeverFetchesTwiml()
    {
        var gateway = new TwilioCallGateway(server.RestClient(), NullLogger<TwilioCallGateway>.Instance);

        var agentSid = (await gateway.StartAgentLegAsync(PhoneBehaviour.Busy, FakeWebhooks.CallerId, Voice(PhoneBehaviour.Answers), AgentStatus(), 7200, CancellationToken.None)).Value!;
        var state = await _sim.WaitUntilSettledAsync(agentSid);

        Assert.Equal(("busy", null), (state.Status, state.ChildCallSid));
        Assert.Empty(server.Webhooks.VoiceRequests(agentSid));
        Assert.Equal(["initiated", "busy"], server.Webhooks.StatusCallbacks(agentSid).Select(c => c["CallStatus"]));
    }

    [Fact]
    public async Task EndCall_UnknownSid_IsNotFoundFromTwilioError20404()
    {
        var gateway = new TwilioCallGateway(server.RestClient(), NullLogger<TwilioCallGateway>.Instance);

        var ended = await gateway.EndCallAsync("CA00000000000000000000000000000000", CancellationToken.None);
        var fetch = await Assert.ThrowsAsync<ApiException>(() => CallResource.FetchAsync(pathSid: "CA00000000000000000000000000000000", client: server.RestClient()));

        Assert.Equal("not-found", ended.Failure!.Code);
        Assert.Equal((20404, 404), (fetch.Code, fetch.Status));
        Assert.Equal("https://www.twilio.com/docs/errors/20404", fetch.MoreInfo);
    }

    [Fact]
    public async Task CreateCall_WrongApiKeySecret_Fails20003()
    {
        var client = server.RestClient(o => o.ApiKeySecret = "not-the-secret-not-the-secret-00000");

        var error = await Assert.ThrowsAsync<ApiException>(() => CallResource.CreateAsync(
            to: new PhoneNumber(AgentPhone), from: new PhoneNumber(FakeWebhooks.CallerId), url: Voice(PhoneBehaviour.Answers), client: client));

        Assert.Equal((20003, 401), (error.Code, error.Status));
    }

    [Fact]
    public async Task CreateCall_InvalidTo_Fails21211()
    {
        var error = await Assert.ThrowsAsync<ApiException>(() => CallResource.CreateAsync(
            to: new PhoneNumber("12345"), from: new PhoneNumber(FakeWebhooks.CallerId), url: Voice(PhoneBehaviour.Answers), client: server.RestClient()));

        Assert.Equal((21211, 400), (error.Code, error.Status));
    }

    [Fact]
    public async Task CreateCall_StatusCallbackAnswers500_RetriesAsTheFragmentAllows()
    {
        server.Webhooks.StatusAnswer = 500;
        try
        {
            var call = await CallResource.CreateAsync(
                to: new PhoneNumber(PhoneBehaviour.Fails), from: new PhoneNumber(FakeWebhooks.CallerId), url: Voice(PhoneBehaviour.Answers),
                statusCallback: new Uri(server.Webhooks.BaseUrl + "/api/twilio/status?leg=agent#rc=2&rp=5xx"), statusCallbackEvent: ["completed"],
                statusCallbackMethod: TwilioHttpMethod.Post, client: server.RestClient());
            await _sim.WaitUntilSettledAsync(call.Sid);

            var attempts = server.Webhooks.StatusCallbacks(call.Sid);
            Assert.Equal(3, attempts.Count);
            Assert.All(attempts, a => Assert.Equal(("failed", "0"), (a["CallStatus"], a["SequenceNumber"])));
        }
        finally
        {
            server.Webhooks.StatusAnswer = 204;
        }
    }

    private Uri Voice(string prospect) => new($"{server.Webhooks.BaseUrl}/api/twilio/voice?prospect={Uri.EscapeDataString(prospect)}");

    private Uri AgentStatus() => new($"{server.Webhooks.BaseUrl}/api/twilio/status?leg=agent{CallbackUrls.ConnectionOverrides}");
}
