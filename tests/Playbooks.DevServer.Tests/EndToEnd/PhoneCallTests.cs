using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Playbooks.DevServer.Tests.Http;

namespace Playbooks.DevServer.Tests.EndToEnd;

/// <summary>
/// A phone-based call from the demo org's phone-only rep: our REST call to the simulator rings the rep's phone, its
/// answer fetches our TwiML, the prospect is dialed, and <c>POST /api/calls/{sid}/end</c> hangs both legs up.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class PhoneCallTests(EndToEndServer server)
{
    private const string Answers = "+12015550100";

    [Fact]
    public async Task PhoneCall_AnsweredThenEndedThroughTheApi_BothLegsCompletedAndActivityConnected()
    {
        // Arrange
        using var rep = await server.SignInAsync("rep-phone");
        var started = await (await rep.PostAsJsonAsync("/api/calls", new { to = Answers })).JsonAsync(HttpStatusCode.Created);
        var callSid = started.Str("callSid");
        await server.WaitForCallAsync(callSid, s => s is { Status: "in-progress", ChildStatus: "in-progress" });
        await Task.Delay(100); // talk for about 5 simulated seconds

        // Act
        var ended = await (await rep.PostAsync($"/api/calls/{callSid}/end", null)).JsonAsync(HttpStatusCode.OK);

        // Assert
        Assert.True(ended.GetProperty("ended").GetBoolean());
        var sim = await server.WaitUntilSettledAsync(callSid);
        Assert.Equal(("completed", "completed"), (sim.Status, sim.ChildStatus));
        Assert.Equal("+15005550002", sim.To); // the rep's own phone first
        var activity = await Activities.WaitForSettledAsync(server, rep, callSid);
        Assert.Equal("phone", activity.GetProperty("method").GetString());
        Assert.Equal("connected", activity.GetProperty("outcome").GetString());
        Assert.Equal("completed", activity.GetProperty("status").GetString());
        Assert.Equal("rep-phone", activity.GetProperty("userId").GetString());
        Assert.Equal(Answers, activity.GetProperty("prospectNumber").GetString());
        Assert.Equal(EndToEndServer.DemoCallerId, activity.GetProperty("callerId").GetString());
        Assert.Equal(sim.ChildCallSid, activity.GetProperty("prospectCallSid").GetString());
        Assert.Equal(sim.ChildDuration, activity.GetProperty("durationSeconds").GetInt32());
        Assert.True(Activities.HasRecording(activity), $"the demo org records from answer: {activity}");
    }

    /// <summary>Polls the call-state endpoint until <paramref name="until"/> holds (a few real seconds at most).</summary>
    private static async Task<JsonElement> WaitForStateAsync(HttpClient rep, string callSid, Func<JsonElement, bool> until)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var state = await (await rep.GetAsync($"/api/calls/{callSid}/state")).JsonAsync(HttpStatusCode.OK);
            if (until(state))
            {
                return state;
            }

            Assert.True(DateTime.UtcNow < deadline, $"call {callSid} never reached the expected state; last: {state}");
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task PhoneCall_RepPressesOne_StateGoesToInCallAndTheProspectIsDialedAfterTheKey()
    {
        // Arrange
        using var rep = await server.SignInAsync("rep-phone");
        var callSid = (await (await rep.PostAsJsonAsync("/api/calls", new { to = Answers })).JsonAsync(HttpStatusCode.Created)).Str("callSid");

        // Act
        var inCall = await WaitForStateAsync(rep, callSid, s => s.Str("state") == "in-call");
        await (await rep.PostAsync($"/api/calls/{callSid}/end", null)).JsonAsync(HttpStatusCode.OK);
        var ended = await WaitForStateAsync(rep, callSid, s => s.Str("state") == "ended");

        // Assert
        Assert.Equal(JsonValueKind.String, inCall.GetProperty("connectedAt").ValueKind);
        Assert.Equal("completed", ended.Str("reason"));
        var events = (await server.Simulator.EventsAsync(callSid)).Select(e => e.GetProperty("kind").GetString()).ToList();
        var keyPressed = events.IndexOf("key-pressed");
        Assert.True(keyPressed >= 0, string.Join(",", events));
        Assert.True(events.IndexOf("gather") < keyPressed);
        var sim = await server.WaitUntilSettledAsync(callSid);
        Assert.Equal(("completed", "completed"), (sim.Status, sim.ChildStatus));
    }

    [Fact]
    public async Task PhoneCall_AgentVoicemailAnswers_ProspectIsNeverDialedAndTheStateSaysNotConnected()
    {
        // Arrange
        var org = await CallingOrg.CreateAsync(server, agentPhone: "+12015550104");
        using var rep = await org.RepAsync();
        var callSid = (await (await rep.PostAsJsonAsync("/api/calls", new { to = Answers })).JsonAsync(HttpStatusCode.Created)).Str("callSid");

        // Act
        var sim = await server.WaitUntilSettledAsync(callSid);
        var ended = await WaitForStateAsync(rep, callSid, s => s.Str("state") == "ended");

        // Assert
        Assert.Null(sim.ChildCallSid);
        Assert.Equal("completed", sim.Status);
        Assert.Equal("agent-declined", ended.Str("reason"));
        var events = (await server.Simulator.EventsAsync(callSid)).Select(e => e.GetProperty("kind").GetString()).ToList();
        Assert.Equal(2, events.Count(k => k == "gather-timeout"));
        Assert.DoesNotContain("key-pressed", events);
    }

    [Fact]
    public async Task PhoneCall_AgentNeverAnswers_StateEndsAgentNoAnswer()
    {
        // Arrange
        var org = await CallingOrg.CreateAsync(server, agentPhone: "+12015550102");
        using var rep = await org.RepAsync();
        var callSid = (await (await rep.PostAsJsonAsync("/api/calls", new { to = Answers })).JsonAsync(HttpStatusCode.Created)).Str("callSid");
        var ringing = await (await rep.GetAsync($"/api/calls/{callSid}/state")).JsonAsync(HttpStatusCode.OK);

        // Act
        var sim = await server.WaitUntilSettledAsync(callSid);
        var ended = await WaitForStateAsync(rep, callSid, s => s.Str("state") == "ended");

        // Assert
        Assert.Equal("ringing", ringing.Str("state"));
        Assert.Equal(("no-answer", null), (sim.Status, sim.ChildCallSid));
        Assert.Equal("agent-no-answer", ended.Str("reason"));
    }

    [Fact]
    public async Task CallState_AnotherRepsCall_IsNotFound()
    {
        // Arrange
        using var owner = await server.SignInAsync("rep-phone");
        using var other = await server.SignInAsync("rep-both");
        var callSid = (await (await owner.PostAsJsonAsync("/api/calls", new { to = Answers })).JsonAsync(HttpStatusCode.Created)).Str("callSid");

        // Act
        var response = await other.GetAsync($"/api/calls/{callSid}/state");

        // Assert
        await response.JsonAsync(HttpStatusCode.NotFound);
        await (await owner.PostAsync($"/api/calls/{callSid}/end", null)).JsonAsync(HttpStatusCode.OK);
        await server.WaitUntilSettledAsync(callSid);
    }
}
