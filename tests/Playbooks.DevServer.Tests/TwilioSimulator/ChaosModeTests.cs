using System.Net;
using System.Net.Http.Json;
using Playbooks.DevServer.TwilioSimulator;

namespace Playbooks.DevServer.Tests.TwilioSimulator;

[Collection(SimulatorCollection.Name)]
public sealed class ChaosModeTests(SimulatorServer server)
{
    private readonly SimulatorClient _sim = server.Simulator;

    [Fact]
    public async Task Chaos_TwentyCalls_DeliversEveryCallbackAtLeastOnceWithDuplicatesAndReordering()
    {
        await _sim.SetChaosAsync(enabled: true, duplicateRate: 0.5, maxDelayMs: 200);
        try
        {
            var token = server.VoiceToken();
            var calls = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ =>
                _sim.ConnectAsync(token, PhoneBehaviour.HangsUpAfter(5), new Dictionary<string, string> { ["Recording"] = "record-from-answer" })));
            var states = await Task.WhenAll(calls.Select(c => _sim.WaitUntilSettledAsync(c, TimeSpan.FromSeconds(15))));

            var perCall = states.Select(s => server.Webhooks.StatusCallbacks(s.ChildCallSid!)).ToList();
            Assert.All(perCall, callbacks => Assert.Equal(
                ["0 initiated", "1 ringing", "2 in-progress", "3 completed"],
                callbacks.Select(c => $"{c["SequenceNumber"]} {c["CallStatus"]}").Distinct().Order()));
            Assert.All(states, s => Assert.NotEmpty(server.Webhooks.RecordingCallbacks(s.CallSid)));
            Assert.Contains(perCall, callbacks => callbacks.Count > 4);
            Assert.Contains(perCall, callbacks => !callbacks.Select(c => int.Parse(c["SequenceNumber"])).SequenceEqual(callbacks.Select(c => int.Parse(c["SequenceNumber"])).Order()));
        }
        finally
        {
            await _sim.SetChaosAsync(enabled: false);
        }
    }

    [Fact]
    public async Task PutChaos_RateAboveOne_Returns400()
    {
        var response = await _sim.Http.PutAsJsonAsync("/sim/chaos", new { enabled = true, duplicateRate = 1.5, maxDelayMs = 100 });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.False((await _sim.Http.GetFromJsonAsync<ChaosOptions>("/sim/chaos"))!.Enabled);
    }
}
