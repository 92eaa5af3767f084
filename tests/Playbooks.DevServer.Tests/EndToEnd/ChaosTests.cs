using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Playbooks.DevServer.Tests.Http;
using Playbooks.DevServer.Tests.TwilioSimulator;

namespace Playbooks.DevServer.Tests.EndToEnd;

/// <summary>
/// The simulator's chaos mode delays, reorders and duplicates every status and recording callback of 100 concurrent
/// calls of every outcome, half computer-based and half phone-based; the activity pipeline must still end with exactly
/// one correct activity per call, and the org's Salesforce with exactly one Task per call.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class ChaosTests(EndToEndServer server)
{
    private const int Calls = 100;
    private const int AtOnce = 10;

    private static readonly TimeSpan SettleTimeout = TimeSpan.FromSeconds(20);

    private enum Prospect
    {
        AnswersThenEnd,
        Busy,
        NoAnswer,
        Failed,
        AnswersThenHangsUp,
    }

    private sealed record PlacedCall(Prospect Prospect, string Method, string Number, string CallSid, SimCallState Sim, Func<JsonElement, bool> IsComplete);

    [Fact]
    public async Task Chaos_HundredConcurrentCallsOfEveryOutcome_ExactlyOneCorrectActivityEach()
    {
        // Arrange: an org of its own, so its admin list holds exactly these calls; it writes to Salesforce.
        using var salesforce = new SalesforceOrgStub();
        var org = await CallingOrg.CreateAsync(server);
        using var rep = await org.RepAsync();
        using var admin = await org.AdminAsync();
        await (await admin.PutAsync("/api/admin/crm", new
        {
            provider = "salesforce",
            instanceUrl = salesforce.Url,
            clientId = "e2e-consumer-key",
        })).JsonAsync(HttpStatusCode.OK);
        // New Jersey (201) allows recording without disclosure: every answered call is bridged at once, so "recorded iff
        // answered" holds. With a disclosure, an END during it leaves an answered prospect unbridged and unrecorded.
        await (await admin.PatchAsync("/api/admin/org", new
        {
            recordingJurisdictions = new Dictionary<string, string> { ["US-NJ"] = "record-without-disclosure" },
        })).JsonAsync(HttpStatusCode.OK);
        var token = await LiveDevServer.VoiceTokenAsync(rep);
        await server.Simulator.SetChaosAsync(true, duplicateRate: 0.3, maxDelayMs: 300);
        try
        {
            // Act
            using var gate = new SemaphoreSlim(AtOnce);
            var placed = await Task.WhenAll(Enumerable.Range(0, Calls).Select(async i =>
            {
                await gate.WaitAsync();
                try
                {
                    // i % 5 and i % 2 together give every outcome by both methods, 10 calls each.
                    return await PlaceAsync(rep, token, (Prospect)(i % 5), i % 2 == 0 ? "computer" : "phone", i);
                }
                finally
                {
                    gate.Release();
                }
            }));

            // Assert
            var bySid = placed.ToDictionary(p => p.CallSid);
            var activities = await Activities.WaitForAdminListAsync(
                admin,
                list => list.Count >= Calls && list.All(a => bySid.TryGetValue(Sid(a), out var call) && call.IsComplete(a) && Activities.CrmState(a) == "synced"),
                TimeSpan.FromSeconds(30),
                list => $"{list.Count} activities, {list.Count(a => !bySid.ContainsKey(Sid(a)))} of other calls, "
                    + $"{list.Count(a => bySid.TryGetValue(Sid(a), out var c) && !c.IsComplete(a))} missing some of their callbacks, "
                    + $"{list.Count(a => Activities.CrmState(a) != "synced")} not synced to the CRM");
            Assert.Equal(bySid.Keys.Order(StringComparer.Ordinal), activities.Select(Sid).Order(StringComparer.Ordinal));
            Assert.All(activities, activity => AssertMatches(bySid[Sid(activity)], activity, org.CallerId));
            await AssertChaosShowedAsync(bySid.Keys.ToHashSet(StringComparer.Ordinal));
            var created = SalesforceOrgStub.Records(salesforce.Creates).Select(t => SalesforceOrgStub.Text(t, "CallObject")!).ToList();
            Assert.Equal(bySid.Keys.Order(StringComparer.Ordinal), created.Order(StringComparer.Ordinal));
            var lastWritten = SalesforceOrgStub.Records([.. salesforce.Creates, .. salesforce.Updates])
                .GroupBy(t => SalesforceOrgStub.Text(t, "CallObject")!)
                .ToDictionary(g => g.Key, g => g.Last());
            Assert.All(activities, a => Assert.True(
                IntOrNull(a, "durationSeconds") == lastWritten[Sid(a)]["CallDurationInSeconds"]!.GetValue<int>(),
                $"the CRM's Task shows the activity's duration: {lastWritten[Sid(a)].ToJsonString()} / {a}"));
        }
        finally
        {
            await server.Simulator.SetChaosAsync(false);
        }
    }

    private async Task<PlacedCall> PlaceAsync(HttpClient rep, string token, Prospect prospect, string method, int index)
    {
        var number = prospect switch
        {
            Prospect.AnswersThenEnd => "+12015550100",
            Prospect.Busy => "+12015550101",
            Prospect.NoAnswer => "+12015550102",
            Prospect.Failed => "+12015550103",
            // answers, then hangs up after 5 to 9 simulated seconds (100 to 180 ms)
            _ => "+120155501" + (5 + index % 5).ToString("D2", CultureInfo.InvariantCulture),
        };
        var callSid = method == "computer"
            ? await server.Simulator.ConnectAsync(token, number)
            : (await (await rep.PostAsJsonAsync("/api/calls", new { to = number })).JsonAsync(HttpStatusCode.Created)).Str("callSid");
        if (prospect == Prospect.AnswersThenEnd)
        {
            await server.WaitForCallAsync(callSid, s => s.ChildStatus == "in-progress", SettleTimeout);
            await Task.Delay(60); // about 3 simulated seconds of talk
            var ended = method == "computer"
                ? await server.Simulator.HangupAsync(callSid) // END in the browser
                : await rep.PostAsync($"/api/calls/{callSid}/end", null);
            ended.EnsureSuccessStatusCode();
        }

        var sim = await server.WaitUntilSettledAsync(callSid, SettleTimeout);
        var complete = Activities.ShowsEveryCallback(await server.Simulator.EventsAsync(callSid), callSid);
        return new PlacedCall(prospect, method, number, callSid, sim, complete);
    }

    private static void AssertMatches(PlacedCall call, JsonElement activity, string callerId)
    {
        var expected = call.Prospect switch
        {
            Prospect.Busy => "busy",
            Prospect.NoAnswer => "no-answer",
            Prospect.Failed => "failed",
            _ => "connected",
        };
        var what = $"{call.Prospect} {call.Method} call {call.CallSid} (simulator: {call.Sim}): {activity}";
        Assert.True(expected == activity.GetProperty("outcome").GetString(), $"outcome {expected} of {what}");
        Assert.True(call.Sim.ChildStatus == activity.GetProperty("status").GetString(), $"status of {what}");
        Assert.True(call.Sim.ChildDuration == IntOrNull(activity, "durationSeconds"), $"duration of {what}");
        Assert.True(call.Sim.ChildCallSid == activity.GetProperty("prospectCallSid").GetString(), $"prospect leg of {what}");
        Assert.True(call.Number == activity.GetProperty("prospectNumber").GetString(), $"prospect number of {what}");
        Assert.True(CallingOrg.RepId == activity.GetProperty("userId").GetString(), $"rep of {what}");
        Assert.True(call.Method == activity.GetProperty("method").GetString(), $"method of {what}");
        Assert.True(callerId == activity.GetProperty("callerId").GetString(), $"caller ID of {what}");
        Assert.True(IsAnswered(call.Prospect) == Activities.HasRecording(activity), $"recording iff answered, {what}");
        Assert.True(IsAnswered(call.Prospect) == activity.TryGetProperty("answeredAt", out var answeredAt), $"answer time iff answered, {what}");
        Assert.True(activity.TryGetProperty("endedAt", out var endedAt), $"end time of {what}");
        if (IsAnswered(call.Prospect))
        {
            var talked = (endedAt.GetDateTimeOffset() - answeredAt.GetDateTimeOffset()).TotalSeconds;
            Assert.True(Math.Abs(talked - call.Sim.ChildDuration!.Value) <= 1, $"answered to ended is the duration, {what}");
        }
    }

    /// <summary>The pipeline really was given duplicates and callbacks out of order (attempt 1 each, so not retries).</summary>
    private async Task AssertChaosShowedAsync(IReadOnlySet<string> parentSids)
    {
        var prospectLegs = (await server.Simulator.EventsAsync())
            .Where(e => e.GetProperty("kind").GetString() == "callback"
                && e.TryGetProperty("parentCallSid", out var parent) && parentSids.Contains(parent.GetString()!)
                && e.TryGetProperty("attempt", out var attempt) && attempt.GetInt32() == 1)
            .GroupBy(e => e.GetProperty("callSid").GetString())
            .Select(leg => leg.Select(e => int.Parse(e.GetProperty("params").GetProperty("SequenceNumber").GetString()!, CultureInfo.InvariantCulture)).ToList())
            .ToList();
        Assert.Contains(prospectLegs, sequence => sequence.Distinct().Count() < sequence.Count);
        Assert.Contains(prospectLegs, sequence => !sequence.SequenceEqual(sequence.Order()));
    }

    private static bool IsAnswered(Prospect prospect) => prospect is Prospect.AnswersThenEnd or Prospect.AnswersThenHangsUp;

    private static string Sid(JsonElement activity) => activity.GetProperty("callSid").GetString()!;

    private static int? IntOrNull(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetInt32() : null;
}
