using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Playbooks.Calling.Activity;
using Playbooks.DevServer.TwilioSimulator;

namespace Playbooks.DevServer.Tests.TwilioSimulator;

/// <summary>Computer-based calls: the browser Device connects, our voice webhook answers TwiML, the prospect does what its number says.</summary>
[Collection(SimulatorCollection.Name)]
public sealed class DeviceCallTests(SimulatorServer server)
{
    private readonly SimulatorClient _sim = server.Simulator;

    [Fact]
    public async Task Connect_ValidToken_PostsSignedVoiceWebhookWithTwilioParameters()
    {
        var callSid = await _sim.ConnectAsync(server.VoiceToken(), PhoneBehaviour.Busy, new Dictionary<string, string> { ["WhoId"] = "00Q123" });
        await _sim.WaitUntilSettledAsync(callSid);

        var voice = Assert.Single(server.Webhooks.VoiceRequests(callSid));
        Assert.True(voice.SignatureValid);
        Assert.Matches("^CA[0-9a-f]{32}$", callSid);
        Assert.Equal(SimulatorSettings.AccountSid, voice["AccountSid"]);
        Assert.Equal(SimulatorSettings.TwimlAppSid, voice["ApplicationSid"]);
        Assert.Equal("client:acme_2Ddemo__rep_2Dboth", voice["From"]);
        Assert.Equal("client:acme_2Ddemo__rep_2Dboth", voice["Caller"]);
        Assert.Equal((PhoneBehaviour.Busy, "inbound", "ringing", "2010-04-01"), (voice["To"], voice["Direction"], voice["CallStatus"], voice["ApiVersion"]));
        Assert.Equal("00Q123", voice["WhoId"]);
    }

    [Fact]
    public async Task Connect_AnsweredThenEnd_CompletesBothLegsWithCallbacksInOrder()
    {
        var callSid = await _sim.ConnectAsync(server.VoiceToken(), PhoneBehaviour.Answers);
        var bridged = await _sim.WaitForCallAsync(callSid, s => s.ChildStatus == "in-progress");
        Assert.Equal("in-progress", bridged.Status);

        var end = await _sim.HangupAsync(callSid);
        var state = await _sim.WaitUntilSettledAsync(callSid);

        Assert.Equal(HttpStatusCode.OK, end.StatusCode);
        Assert.Equal(("completed", "completed"), (state.Status, state.ChildStatus));
        var callbacks = server.Webhooks.StatusCallbacks(state.ChildCallSid!);
        Assert.All(callbacks, c => Assert.True(c.SignatureValid));
        Assert.Equal(["initiated", "ringing", "in-progress", "completed"], callbacks.Select(c => c["CallStatus"]));
        Assert.Equal(["0", "1", "2", "3"], callbacks.Select(c => c["SequenceNumber"]));
        Assert.All(callbacks, c =>
        {
            Assert.Equal((callSid, "outbound-dial", "call-progress-events"), (c["ParentCallSid"], c["Direction"], c["CallbackSource"]));
            Assert.Equal((FakeWebhooks.CallerId, PhoneBehaviour.Answers), (c["From"], c["To"]));
            Assert.True(TwilioTimestamp.TryParse(c["Timestamp"], out _), c["Timestamp"]);
            Assert.Equal("?orgId=acme-demo&userId=rep-both&method=computer", c.Query);
        });
        Assert.Equal(3, callbacks.Count(c => !c.Form.ContainsKey("CallDuration")));
        Assert.Equal(state.ChildDuration.ToString(), callbacks[^1]["CallDuration"]);
    }

    [Fact]
    public async Task Connect_ProspectHangsUpAfter5Seconds_ReportsFiveSecondsOnBothLegsAndTheRecording()
    {
        var callSid = await _sim.ConnectAsync(server.VoiceToken(), PhoneBehaviour.HangsUpAfter(5), new Dictionary<string, string> { ["Recording"] = "dual-channel" });

        var state = await _sim.WaitUntilSettledAsync(callSid);

        Assert.Equal(("completed", 5, "completed", 5), (state.Status, state.Duration, state.ChildStatus, state.ChildDuration));
        var completed = server.Webhooks.StatusCallbacks(state.ChildCallSid!)[^1];
        Assert.Equal(("completed", "5"), (completed["CallStatus"], completed["CallDuration"]));
        var answered = server.Webhooks.StatusCallbacks(state.ChildCallSid!).Single(c => c["CallStatus"] == "in-progress");
        TwilioTimestamp.TryParse(answered["Timestamp"], out var answeredAt);
        TwilioTimestamp.TryParse(completed["Timestamp"], out var endedAt);
        Assert.Equal(TimeSpan.FromSeconds(5), endedAt - answeredAt);

        var recording = Assert.Single(server.Webhooks.RecordingCallbacks(callSid));
        Assert.True(recording.SignatureValid);
        Assert.Equal(("completed", "5", "2", "DialVerb", "0"), (recording["RecordingStatus"], recording["RecordingDuration"], recording["RecordingChannels"], recording["RecordingSource"], recording["ErrorCode"]));
        Assert.Matches("^RE[0-9a-f]{32}$", recording["RecordingSid"]);
        Assert.Equal($"{SimulatorServer.RestApiBaseUrl}/2010-04-01/Accounts/{SimulatorSettings.AccountSid}/Recordings/{recording["RecordingSid"]}", recording["RecordingUrl"]);
        Assert.Equal(SimulatorSettings.AccountSid, recording["AccountSid"]);
        Assert.Equal(answered["Timestamp"], recording["RecordingStartTime"]);
    }

    [Theory]
    [InlineData("record-from-answer", 1)]
    [InlineData("off", 0)]
    public async Task Connect_OrgRecordingMode_SendsRecordingCallbackOnlyWhenRecording(string mode, int channelsOrNone)
    {
        var callSid = await _sim.ConnectAsync(server.VoiceToken(), PhoneBehaviour.HangsUpAfter(6), new Dictionary<string, string> { ["Recording"] = mode });

        await _sim.WaitUntilSettledAsync(callSid);

        var recordings = server.Webhooks.RecordingCallbacks(callSid);
        Assert.Equal(channelsOrNone == 0 ? [] : [channelsOrNone.ToString()], recordings.Select(r => r["RecordingChannels"]));
    }

    [Theory]
    [InlineData(PhoneBehaviour.Busy, new[] { "initiated", "busy" })]
    [InlineData(PhoneBehaviour.NoAnswer, new[] { "initiated", "ringing", "no-answer" })]
    [InlineData(PhoneBehaviour.Fails, new[] { "initiated", "failed" })]
    public async Task Connect_ProspectDoesNotAnswer_ReportsTheOutcomeWithZeroDuration(string number, string[] statuses)
    {
        var callSid = await _sim.ConnectAsync(server.VoiceToken(), number, new Dictionary<string, string> { ["Recording"] = "record-from-answer" });

        var state = await _sim.WaitUntilSettledAsync(callSid);

        var callbacks = server.Webhooks.StatusCallbacks(state.ChildCallSid!);
        Assert.Equal(statuses, callbacks.Select(c => c["CallStatus"]));
        Assert.Equal("0", callbacks[^1]["CallDuration"]);
        Assert.Equal((statuses[^1], 0), (state.ChildStatus, state.ChildDuration));
        Assert.Equal("completed", state.Status);
        Assert.Empty(server.Webhooks.RecordingCallbacks(callSid));
    }

    [Fact]
    public async Task Connect_RefusalTwiml_SaysAndHangsUpWithoutDialing()
    {
        var callSid = await _sim.ConnectAsync(server.VoiceToken(), PhoneBehaviour.Answers, new Dictionary<string, string> { ["Refuse"] = "1" });

        var state = await _sim.WaitUntilSettledAsync(callSid);

        Assert.Equal(("completed", null), (state.Status, state.ChildCallSid));
        var events = await _sim.EventsAsync(callSid);
        Assert.Contains(events, e => Kind(e) == "twiml-received" && e.GetProperty("body").GetString()!.Contains("<Say>Calling is not enabled"));
        Assert.DoesNotContain(events, e => Kind(e) == "callback");
    }

    [Fact]
    public async Task Digits_WhileInProgress_AreRecordedOnTheCallAndLogged()
    {
        var callSid = await _sim.ConnectAsync(server.VoiceToken(), PhoneBehaviour.Answers);
        await _sim.WaitForCallAsync(callSid, s => s.ChildStatus == "in-progress");

        var first = await _sim.SendDigitsAsync(callSid, "12");
        var second = await _sim.SendDigitsAsync(callSid, "3#");
        await _sim.HangupAsync(callSid);
        var afterEnd = await _sim.SendDigitsAsync(callSid, "9");
        var state = await _sim.WaitUntilSettledAsync(callSid);

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.Conflict), (first.StatusCode, second.StatusCode, afterEnd.StatusCode));
        Assert.Equal("123#", state.Digits);
        var logged = (await _sim.EventsAsync(callSid)).Where(e => Kind(e) == "digits").Select(e => e.GetProperty("detail").GetString());
        Assert.Equal(["12", "3#"], logged);
    }

    [Fact]
    public async Task Digits_NotDtmf_Returns400()
    {
        var callSid = await _sim.ConnectAsync(server.VoiceToken(), PhoneBehaviour.Answers);
        await _sim.WaitForCallAsync(callSid, s => s.ChildStatus == "in-progress");

        var response = await _sim.SendDigitsAsync(callSid, "12A");
        await _sim.HangupAsync(callSid);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("digits-invalid", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
    }

    [Fact]
    public async Task Hangup_WhileProspectRings_CancelsTheProspectLeg()
    {
        var callSid = await _sim.ConnectAsync(server.VoiceToken(), PhoneBehaviour.NoAnswer);
        var ringing = await _sim.WaitForCallAsync(callSid, s => s.ChildStatus == "ringing");

        await _sim.HangupAsync(callSid);
        var state = await _sim.WaitUntilSettledAsync(callSid);

        Assert.Equal(("canceled", "canceled"), (state.Status, state.ChildStatus));
        Assert.Equal(["initiated", "ringing", "canceled"], server.Webhooks.StatusCallbacks(ringing.ChildCallSid!).Select(c => c["CallStatus"]));
    }

    [Fact]
    public async Task Connect_BadToken_Returns401ProblemAndPlacesNoCall()
    {
        var token = server.VoiceToken();
        var forged = token[..^4] + (token[^4..] == "AAAA" ? "BBBB" : "AAAA");

        var response = await _sim.Http.PostAsJsonAsync("/sim/calls", new { token = forged, @params = new { To = PhoneBehaviour.Answers } });

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(("token-signature-invalid", 20107), (problem.GetProperty("code").GetString(), problem.GetProperty("twilioCode").GetInt32()));
    }

    [Fact]
    public async Task GetCall_UnknownSid_Returns404()
    {
        var response = await _sim.Http.GetAsync("/sim/calls/CA00000000000000000000000000000000");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    private static string? Kind(JsonElement e) => e.GetProperty("kind").GetString();
}
