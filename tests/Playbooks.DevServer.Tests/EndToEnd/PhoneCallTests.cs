using System.Net;
using System.Net.Http.Json;
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
}
