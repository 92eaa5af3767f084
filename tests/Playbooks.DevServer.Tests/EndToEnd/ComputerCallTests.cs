using System.Net;
using Playbooks.DevServer.Tests.TwilioSimulator;

namespace Playbooks.DevServer.Tests.EndToEnd;

/// <summary>
/// Computer-based calls from the demo org's rep, through the simulated browser Device: token, connect, our voice
/// webhook's TwiML, the simulator's signed callbacks, the queue, the activity writer, and the rep's recent calls.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class ComputerCallTests(EndToEndServer server)
{
    private const string Answers = "+12015550100";
    private const string Busy = "+12015550101";
    private const string NoAnswer = "+12015550102";

    [Fact]
    public async Task ComputerCall_AnsweredDigitsThenEnd_ActivityConnectedWithTimesDurationAndRecording()
    {
        // Arrange
        using var rep = await server.SignInAsync("rep-both");
        var callSid = await server.Simulator.ConnectAsync(await LiveDevServer.VoiceTokenAsync(rep), Answers);
        await server.WaitForCallAsync(callSid, s => s is { Status: "in-progress", ChildStatus: "in-progress" });
        (await server.Simulator.SendDigitsAsync(callSid, "12#")).EnsureSuccessStatusCode();
        await Task.Delay(100); // talk for about 5 simulated seconds

        // Act: END in the browser
        (await server.Simulator.HangupAsync(callSid)).EnsureSuccessStatusCode();

        // Assert
        var sim = await server.WaitUntilSettledAsync(callSid);
        Assert.Equal(("completed", "completed"), (sim.Status, sim.ChildStatus));
        Assert.Equal("12#", sim.Digits);
        Assert.Contains(await server.Simulator.EventsAsync(callSid), e => e.GetProperty("kind").GetString() == "digits");

        var activity = await Activities.WaitForSettledAsync(server, rep, callSid);
        Assert.Equal("connected", activity.GetProperty("outcome").GetString());
        Assert.Equal("completed", activity.GetProperty("status").GetString());
        Assert.Equal("computer", activity.GetProperty("method").GetString());
        Assert.Equal("rep-both", activity.GetProperty("userId").GetString());
        Assert.Equal(Answers, activity.GetProperty("prospectNumber").GetString());
        Assert.Equal(EndToEndServer.DemoCallerId, activity.GetProperty("callerId").GetString());
        Assert.Equal(sim.ChildCallSid, activity.GetProperty("prospectCallSid").GetString());
        var initiatedAt = activity.GetProperty("initiatedAt").GetDateTimeOffset();
        var ringingAt = activity.GetProperty("ringingAt").GetDateTimeOffset();
        var answeredAt = activity.GetProperty("answeredAt").GetDateTimeOffset();
        var endedAt = activity.GetProperty("endedAt").GetDateTimeOffset();
        Assert.True(initiatedAt <= ringingAt && ringingAt <= answeredAt && answeredAt < endedAt, $"times in order: {activity}");
        var duration = activity.GetProperty("durationSeconds").GetInt32();
        Assert.True(duration > 0, $"duration {duration}");
        Assert.Equal(sim.ChildDuration, duration);
        Assert.InRange((endedAt - answeredAt).TotalSeconds, duration - 1, duration + 1);
        Assert.True(activity.GetProperty("hasRecording").GetBoolean());
        var recording = activity.GetProperty("recording");
        Assert.Equal($"/api/calls/{callSid}/recording", recording.GetProperty("playbackPath").GetString());
        Assert.False(recording.TryGetProperty("url", out _), $"no Twilio URL: {recording}");
        Assert.Equal("completed", recording.GetProperty("status").GetString());
    }

    [Fact]
    public async Task ComputerCall_ProspectBusy_ActivityBusyWithoutAnswerOrRecording()
    {
        // Arrange
        using var rep = await server.SignInAsync("rep-both");
        var token = await LiveDevServer.VoiceTokenAsync(rep);

        // Act
        var callSid = await server.Simulator.ConnectAsync(token, Busy);

        // Assert
        var sim = await server.WaitUntilSettledAsync(callSid);
        Assert.Equal("busy", sim.ChildStatus);
        var activity = await Activities.WaitForSettledAsync(server, rep, callSid);
        Assert.Equal("busy", activity.GetProperty("status").GetString());
        Assert.Equal("busy", activity.GetProperty("outcome").GetString());
        Assert.Equal("computer", activity.GetProperty("method").GetString());
        Assert.Equal(Busy, activity.GetProperty("prospectNumber").GetString());
        Assert.False(activity.TryGetProperty("answeredAt", out _), $"no answer time: {activity}");
        Assert.False(Activities.HasRecording(activity), $"no recording: {activity}");
        Assert.DoesNotContain(await server.Simulator.EventsAsync(callSid), e =>
            e.GetProperty("kind").GetString() == "callback" && e.GetProperty("url").GetString()!.Contains("/api/twilio/recording-status"));
    }

    [Fact]
    public async Task ComputerCall_EndWhileTheProspectRings_ActivityCanceledWithoutAnswerOrRecording()
    {
        // Arrange
        using var rep = await server.SignInAsync("rep-both");
        var callSid = await server.Simulator.ConnectAsync(await LiveDevServer.VoiceTokenAsync(rep), NoAnswer);
        await server.WaitForCallAsync(callSid, s => s.ChildStatus == "ringing");

        // Act
        (await server.Simulator.HangupAsync(callSid)).EnsureSuccessStatusCode();

        // Assert
        var sim = await server.WaitUntilSettledAsync(callSid);
        Assert.Equal("canceled", sim.ChildStatus);
        var activity = await Activities.WaitForSettledAsync(server, rep, callSid);
        Assert.Equal("canceled", activity.GetProperty("outcome").GetString());
        Assert.True(activity.TryGetProperty("ringingAt", out _), $"it rang: {activity}");
        Assert.False(activity.TryGetProperty("answeredAt", out _), $"no answer time: {activity}");
        Assert.False(Activities.HasRecording(activity), $"no recording: {activity}");
    }
}
