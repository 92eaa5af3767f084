using Microsoft.Extensions.DependencyInjection;
using Playbooks.Calling.Calls;
using Playbooks.DevServer.Tests.TwilioSimulator;

namespace Playbooks.DevServer.Tests.EndToEnd;

/// <summary>
/// A browser call whose Device is gone (the tab crashed: nobody ever presses END) is hung up by the server's open-call
/// sweep once it has been open longer than the org's longest call: both legs end at the simulator, through the same
/// REST update real Twilio gets, and the activity says why. The sweep runs on a clock moved past the limit.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class OpenCallSweepTests(EndToEndServer server)
{
    private const string Answers = "+12015550100";

    private sealed class Later(TimeSpan ahead) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + ahead;
    }

    [Fact]
    public async Task BrowserCall_DeviceGoneBeyondTheOrgsLimit_ServerEndsBothLegsAndRecordsWhy()
    {
        // Arrange: the call is up, and the activity writer has seen it open.
        using var rep = await server.SignInAsync("rep-both");
        var callSid = await server.Simulator.ConnectAsync(await LiveDevServer.VoiceTokenAsync(rep), Answers);
        await server.WaitForCallAsync(callSid, s => s is { Status: "in-progress", ChildStatus: "in-progress" });
        var index = server.Services.GetRequiredService<OpenCallIndex>();
        var deadline = DateTime.UtcNow + Activities.DefaultTimeout;
        while (!(await index.OpenedBeforeAsync(DateTimeOffset.UtcNow.AddDays(1), 5000)).Any(c => c.AgentCallSid == callSid))
        {
            Assert.True(DateTime.UtcNow < deadline, "the open call never reached the open-call index");
            await Task.Delay(50);
        }

        // Act: the demo org's longest call is 120 minutes; sweep as if three hours had passed with nobody on the line.
        var sweeper = ActivatorUtilities.CreateInstance<OpenCallSweeper>(server.Services, new Later(TimeSpan.FromHours(3)));
        var result = await sweeper.RunAsync(CancellationToken.None);

        // Assert
        Assert.True(result.Ended >= 1, $"sweep: {result}");
        var sim = await server.WaitUntilSettledAsync(callSid);
        Assert.Equal(("completed", "completed"), (sim.Status, sim.ChildStatus));
        var restUpdates = (await server.Simulator.EventsAsync(callSid)).Where(e => e.GetProperty("kind").GetString() == "rest-request").ToList();
        Assert.NotEmpty(restUpdates);
        var activity = await Activities.WaitForRecentAsync(rep, callSid,
            a => Activities.IsTerminal(a) && a.TryGetProperty("serverEndReason", out _));
        Assert.Equal(ServerEndReasons.CallTooLong, activity.GetProperty("serverEndReason").GetString());
        Assert.Equal("connected", activity.GetProperty("outcome").GetString());
        Assert.DoesNotContain(await index.OpenedBeforeAsync(DateTimeOffset.UtcNow.AddDays(1), 5000), c => c.AgentCallSid == callSid);
    }
}
