using System.Globalization;
using System.Text.Json;
using Playbooks.DevServer.Tests.EndToEnd;
using Playbooks.DevServer.TwilioSimulator;

namespace Playbooks.DevServer.Tests.Faults;

/// <summary>One status callback of a made-up call's prospect leg, as Twilio would POST it.</summary>
internal sealed record StatusEvent(ProspectCall Call, string Status, int Sequence, DateTimeOffset At)
{
    public string Key => $"{Call.AgentCallSid}/{Sequence}";

    public string PathAndQuery => $"/api/twilio/status?orgId={Call.OrgId}&userId={Call.UserId}&method=phone";

    public IReadOnlyDictionary<string, string> Form
    {
        get
        {
            var form = new Dictionary<string, string>
            {
                ["AccountSid"] = "AC00000000000000000000000000000de7",
                ["CallSid"] = Call.ProspectCallSid,
                ["ParentCallSid"] = Call.AgentCallSid,
                ["CallStatus"] = Status,
                ["SequenceNumber"] = Sequence.ToString(CultureInfo.InvariantCulture),
                ["Timestamp"] = At.UtcDateTime.ToString("ddd, dd MMM yyyy HH:mm:ss +0000", CultureInfo.InvariantCulture),
                ["To"] = Call.ProspectNumber,
                ["From"] = ProspectCall.CallerId,
                ["Direction"] = "outbound-dial",
            };
            if (Status == "completed")
            {
                form["CallDuration"] = Call.DurationSeconds.ToString(CultureInfo.InvariantCulture);
            }

            return form;
        }
    }

    /// <summary>POSTs the callback signed for <paramref name="publicBaseUrl"/> (the server's Twilio:PublicBaseUrl).</summary>
    public async Task<HttpResponseMessage> PostAsync(HttpClient client, string publicBaseUrl)
    {
        var form = Form;
        using var request = new HttpRequestMessage(HttpMethod.Post, PathAndQuery) { Content = new FormUrlEncodedContent(form) };
        request.Headers.Add(WebhookSigner.HeaderName, new WebhookSigner(ProspectCall.AuthToken).Sign(publicBaseUrl + PathAndQuery, form));
        return await client.SendAsync(request);
    }
}

/// <summary>
/// A phone-based call of a made-up SID whose prospect leg is dialed, rings, answers and ends: four status callbacks,
/// each of which shows in the call's activity once the writer has merged it (initiatedAt, ringingAt, answeredAt,
/// endedAt with the status and duration). No simulator is involved, so a test decides exactly what was sent.
/// </summary>
internal sealed record ProspectCall(string OrgId, string UserId, string AgentCallSid, string ProspectCallSid, string ProspectNumber, DateTimeOffset DialedAt, int DurationSeconds)
{
    /// <summary>The dev server's Twilio auth token (appsettings.Development.json).</summary>
    public const string AuthToken = "development-only-simulator-auth-token";

    public const string CallerId = "+15005550006";

    public const string UserIdOfRep = "rep-1";

    /// <summary><paramref name="count"/> calls of the org, a second apart, each with its own SIDs and talk time.</summary>
    public static IReadOnlyList<ProspectCall> Many(string orgId, int count)
    {
        var start = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 600);
        return Enumerable.Range(0, count).Select(i => new ProspectCall(
            orgId,
            UserIdOfRep,
            "CA" + Guid.NewGuid().ToString("N"),
            "CA" + Guid.NewGuid().ToString("N"),
            "+1201555" + (1000 + i).ToString(CultureInfo.InvariantCulture),
            start.AddSeconds(i),
            5 + (i % 50))).ToList();
    }

    public StatusEvent Initiated => new(this, "initiated", 0, DialedAt);

    public StatusEvent Ringing => new(this, "ringing", 1, DialedAt.AddSeconds(1));

    public StatusEvent Answered => new(this, "in-progress", 2, DialedAt.AddSeconds(3));

    public StatusEvent Completed => new(this, "completed", 3, DialedAt.AddSeconds(3 + DurationSeconds));

    public IReadOnlyList<StatusEvent> Events => [Initiated, Ringing, Answered, Completed];

    /// <summary>
    /// Why the activity does not show exactly the given accepted events of this call (null when it does): every
    /// accepted event's field at its own time, no field of an event that was not accepted, and the call's facts.
    /// </summary>
    public string? Mismatch(JsonElement activity, IReadOnlySet<string> acceptedKeys)
    {
        var accepted = Events.Where(e => acceptedKeys.Contains(e.Key)).ToList();
        var problems = new List<string>();
        void Expect(string field, object? expected, object? actual)
        {
            if (!Equals(expected, actual)) problems.Add($"{field} {actual ?? "none"} (expected {expected ?? "none"})");
        }

        DateTimeOffset? Time(string name) =>
            activity.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetDateTimeOffset() : null;
        string? Text(string name) =>
            activity.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        DateTimeOffset? When(StatusEvent e) => accepted.Contains(e) ? e.At : null;

        Expect("initiatedAt", When(Initiated), Time("initiatedAt"));
        Expect("ringingAt", When(Ringing), Time("ringingAt"));
        Expect("answeredAt", When(Answered), Time("answeredAt"));
        Expect("endedAt", When(Completed), Time("endedAt"));
        Expect("status", accepted.LastOrDefault()?.Status, Text("status"));
        Expect("durationSeconds", accepted.Contains(Completed) ? DurationSeconds : null,
            activity.TryGetProperty("durationSeconds", out var d) && d.ValueKind == JsonValueKind.Number ? d.GetInt32() : (int?)null);
        Expect("prospectCallSid", ProspectCallSid, Text("prospectCallSid"));
        Expect("prospectNumber", ProspectNumber, Text("prospectNumber"));
        Expect("userId", UserId, Text("userId"));
        Expect("method", "phone", Text("method"));
        return problems.Count == 0 ? null : $"call {AgentCallSid}: {string.Join(", ", problems)}";
    }

    /// <summary>
    /// Waits (generously: only the outcome is asserted, never how long it took) until the org's admin call list holds
    /// exactly these calls, each showing exactly its accepted events; throws with what is still wrong otherwise.
    /// </summary>
    public static async Task<IReadOnlyList<JsonElement>> WaitForActivitiesAsync(
        HttpClient admin, IReadOnlyList<ProspectCall> calls, IReadOnlySet<string> acceptedKeys, TimeSpan timeout)
    {
        var bySid = calls.ToDictionary(c => c.AgentCallSid, StringComparer.Ordinal);
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            string[] problems;
            IReadOnlyList<JsonElement> list = [];
            try
            {
                list = await Activities.AdminListAsync(admin);
                var listed = list.Select(a => a.GetProperty("callSid").GetString()!).ToList();
                problems =
                [
                    .. listed.GroupBy(s => s).Where(g => g.Count() > 1).Select(g => $"call {g.Key} listed {g.Count()} times"),
                    .. listed.Where(s => !bySid.ContainsKey(s)).Select(s => $"unknown call {s} listed"),
                    .. calls.Where(c => !listed.Contains(c.AgentCallSid)).Select(c => $"call {c.AgentCallSid} has no activity"),
                    .. list.Select(a => bySid.TryGetValue(a.GetProperty("callSid").GetString()!, out var c) ? c.Mismatch(a, acceptedKeys) : null).OfType<string>(),
                ];
            }
            catch (Exception ex) when (ex is HttpRequestException or Xunit.Sdk.XunitException)
            {
                // Not answering yet (a server starting, storage coming back): not an outcome, so keep waiting.
                problems = [$"the admin list could not be read: {ex.Message}"];
            }

            if (problems.Length == 0)
            {
                return list;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{problems.Length} problems remain, e.g.: {string.Join("; ", problems.Take(5))}");
            }

            await Task.Delay(200);
        }
    }
}
