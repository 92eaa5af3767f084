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

    /// <summary>The call ended and, when it was answered, its recording arrived: nothing more will come from Twilio.</summary>
    public static bool IsSettled(JsonElement activity, bool recorded) =>
        IsTerminal(activity) && (!recorded || activity.GetProperty("outcome").GetString() != "connected" || HasRecording(activity));

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
