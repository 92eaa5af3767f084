using System.Net.Http.Json;
using System.Text.Json;
using Playbooks.Calling;

namespace Playbooks.DevServer.Tests.TwilioSimulator;

/// <summary>What GET /sim/calls/{callSid} says about a simulated call.</summary>
public sealed record SimCallState(
    string CallSid,
    string Status,
    string Direction,
    string From,
    string To,
    string Digits,
    int? Duration,
    int CallbacksPending,
    string? ParentCallSid,
    string? ChildCallSid,
    string? ChildStatus,
    int? ChildDuration,
    string? Error)
{
    public static bool IsTerminal(string? status) => status is "completed" or "busy" or "no-answer" or "failed" or "canceled";

    /// <summary>Both legs over and every callback answered.</summary>
    public bool IsSettled => IsTerminal(Status) && (ChildCallSid is null || IsTerminal(ChildStatus)) && CallbacksPending == 0;
}

/// <summary>The simulated browser Device and the simulator's own API, as the web app and end-to-end tests use them.</summary>
public sealed class SimulatorClient(HttpClient http)
{
    private static readonly JsonSerializerOptions Json = PlaybooksJson.Options;

    public HttpClient Http => http;

    /// <summary>The Device's connect; returns the parent call SID.</summary>
    public async Task<string> ConnectAsync(string token, string to, IReadOnlyDictionary<string, string>? parameters = null)
    {
        var all = new Dictionary<string, string>(parameters ?? new Dictionary<string, string>()) { ["To"] = to };
        var response = await http.PostAsJsonAsync("/sim/calls", new { token, @params = all });
        await EnsureSuccessAsync(response);
        return (await response.Content.ReadFromJsonAsync<JsonElement>(Json)).GetProperty("callSid").GetString()!;
    }

    public async Task<SimCallState> GetCallAsync(string callSid)
    {
        var response = await http.GetAsync($"/sim/calls/{callSid}");
        await EnsureSuccessAsync(response);
        return (await response.Content.ReadFromJsonAsync<SimCallState>(Json))!;
    }

    /// <summary>Polls the call until <paramref name="until"/> holds (10 s at most).</summary>
    public async Task<SimCallState> WaitForCallAsync(string callSid, Func<SimCallState, bool> until, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            var state = await GetCallAsync(callSid);
            if (until(state))
            {
                return state;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Call {callSid} did not get there; last state: {state}");
            }

            await Task.Delay(20);
        }
    }

    /// <summary>Waits until both legs ended and every status and recording callback was answered.</summary>
    public Task<SimCallState> WaitUntilSettledAsync(string callSid, TimeSpan? timeout = null) =>
        WaitForCallAsync(callSid, s => s.IsSettled, timeout);

    public Task<HttpResponseMessage> HangupAsync(string callSid) => http.PostAsync($"/sim/calls/{callSid}/hangup", null);

    public Task<HttpResponseMessage> SendDigitsAsync(string callSid, string digits) =>
        http.PostAsJsonAsync($"/sim/calls/{callSid}/digits", new { digits });

    public async Task<IReadOnlyList<JsonElement>> EventsAsync(string? callSid = null)
    {
        var response = await http.GetAsync(callSid is null ? "/sim/events" : $"/sim/events?callSid={callSid}");
        await EnsureSuccessAsync(response);
        return (await response.Content.ReadFromJsonAsync<List<JsonElement>>(Json))!;
    }

    public async Task SetChaosAsync(bool enabled, double duplicateRate = 0.2, int maxDelayMs = 500)
    {
        var response = await http.PutAsJsonAsync("/sim/chaos", new { enabled, duplicateRate, maxDelayMs });
        await EnsureSuccessAsync(response);
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"{(int)response.StatusCode} from {response.RequestMessage?.RequestUri}: {await response.Content.ReadAsStringAsync()}");
        }
    }
}
