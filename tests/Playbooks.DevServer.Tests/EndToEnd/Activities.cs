using System.Net;
using System.Text.Json;

namespace Playbooks.DevServer.Tests.EndToEnd;

/// <summary>Reads call activities the way the web app does, polling until the pipeline has written what a test waits for.</summary>
internal static class Activities
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(15);

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);

    public static bool IsTerminal(JsonElement activity) =>
        activity.TryGetProperty("status", out var status) && status.GetString() is "completed" or "busy" or "no-answer" or "failed" or "canceled";

    public static bool HasRecording(JsonElement activity) =>
        activity.TryGetProperty("recording", out var recording) && recording.ValueKind == JsonValueKind.Object;

    /// <summary>
    /// Whether an activity shows every callback of the call that our webhooks accepted, by the simulator's event log of
    /// a settled call. The writer merges a call's events in parallel and in any order, so "ended" alone is not "done".
    /// </summary>
    public static Func<JsonElement, bool> ShowsEveryCallback(IReadOnlyList<JsonElement> simulatorEvents, string callSid)
    {
        var accepted = simulatorEvents
            .Where(e => e.GetProperty("kind").GetString() == "callback"
                && e.TryGetProperty("status", out var status) && status.GetInt32() is >= 200 and < 300)
            .Select(e => e.GetProperty("params"))
            .ToList();
        var statuses = accepted
            .Where(p => p.TryGetProperty("ParentCallSid", out var parent) && parent.GetString() == callSid && p.TryGetProperty("CallStatus", out _))
            .Select(p => p.GetProperty("CallStatus").GetString())
            .ToHashSet();
        var recorded = accepted.Any(p => p.TryGetProperty("RecordingSid", out _));
        var ended = statuses.Any(s => s is "completed" or "busy" or "no-answer" or "failed" or "canceled");
        return a => (!statuses.Contains("initiated") || a.TryGetProperty("initiatedAt", out _))
            && (!statuses.Contains("ringing") || a.TryGetProperty("ringingAt", out _))
            && (!statuses.Contains("in-progress") || a.TryGetProperty("answeredAt", out _))
            && (!ended || (IsTerminal(a) && a.TryGetProperty("endedAt", out _)))
            && (!recorded || HasRecording(a));
    }

    public static string? CrmState(JsonElement activity) => activity.GetProperty("crmSync").GetProperty("state").GetString();

    /// <summary>GET /api/calls/recent as the signed-in user; the call's activity, or null when it is not there.</summary>
    public static async Task<JsonElement?> FindRecentAsync(HttpClient signedIn, string callSid)
    {
        var response = await signedIn.GetAsync("/api/calls/recent");
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET /api/calls/recent answered {(int)response.StatusCode}: {text}");
        foreach (var item in JsonDocument.Parse(text).RootElement.GetProperty("items").EnumerateArray())
        {
            if (item.GetProperty("callSid").GetString() == callSid)
            {
                return item.Clone();
            }
        }

        return null;
    }

    /// <summary>Polls the signed-in user's recent calls until the call's activity satisfies <paramref name="until"/>.</summary>
    public static async Task<JsonElement> WaitForRecentAsync(HttpClient signedIn, string callSid, Func<JsonElement, bool> until, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? DefaultTimeout);
        while (true)
        {
            var activity = await FindRecentAsync(signedIn, callSid);
            if (activity is { } found && until(found))
            {
                return found;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The activity of call {callSid} did not get there; last seen: {activity?.ToString() ?? "none"}");
            }

            await Task.Delay(PollInterval);
        }
    }

    /// <summary>
    /// Waits until the settled call's activity in the signed-in user's recent calls shows every callback the simulator
    /// delivered for it (and <paramref name="andAlso"/>).
    /// </summary>
    public static async Task<JsonElement> WaitForSettledAsync(
        EndToEndServer server, HttpClient signedIn, string callSid, Func<JsonElement, bool>? andAlso = null)
    {
        var complete = ShowsEveryCallback(await server.Simulator.EventsAsync(callSid), callSid);
        return await WaitForRecentAsync(signedIn, callSid, a => complete(a) && (andAlso is null || andAlso(a)));
    }

    /// <summary>Every activity GET /api/admin/calls lists for the signed-in admin, all pages.</summary>
    public static async Task<IReadOnlyList<JsonElement>> AdminListAsync(HttpClient admin)
    {
        var all = new List<JsonElement>();
        string? token = null;
        do
        {
            var path = "/api/admin/calls?pageSize=200" + (token is null ? "" : "&continuationToken=" + Uri.EscapeDataString(token));
            var response = await admin.GetAsync(path);
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET /api/admin/calls answered {(int)response.StatusCode}: {text}");
            var page = JsonDocument.Parse(text).RootElement;
            all.AddRange(page.GetProperty("items").EnumerateArray().Select(i => i.Clone()));
            token = page.TryGetProperty("continuationToken", out var next) && next.ValueKind == JsonValueKind.String ? next.GetString() : null;
        }
        while (token is not null);

        return all;
    }

    /// <summary>Polls the admin list until <paramref name="until"/> holds for it.</summary>
    public static async Task<IReadOnlyList<JsonElement>> WaitForAdminListAsync(
        HttpClient admin, Func<IReadOnlyList<JsonElement>, bool> until, TimeSpan timeout, Func<IReadOnlyList<JsonElement>, string> describe)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var list = await AdminListAsync(admin);
            if (until(list))
            {
                return list;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The admin call list did not get there: {describe(list)}");
            }

            await Task.Delay(PollInterval * 4);
        }
    }
}
