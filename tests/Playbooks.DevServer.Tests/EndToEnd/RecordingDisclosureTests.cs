using System.Net;
using System.Text.Json;
using Playbooks.DevServer.Tests.Http;
using Playbooks.DevServer.Tests.TwilioSimulator;

namespace Playbooks.DevServer.Tests.EndToEnd;

/// <summary>
/// Recorded calls and the recording disclosure, end to end: the org's settings, our &lt;Number url&gt;, the simulator
/// playing it on the prospect's leg before the bridge, and the activity saying it played.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class RecordingDisclosureTests(EndToEndServer server)
{
    /// <summary>A New Jersey number (area code 201, one-party consent); the simulator answers and stays on.</summary>
    private const string NewJersey = "+12015550100";

    private const string Text = "Hello from Acme. This call is recorded.";

    private static string? Kind(JsonElement e) => e.GetProperty("kind").GetString();

    private static string? Detail(JsonElement e) => e.TryGetProperty("detail", out var d) ? d.GetString() : null;

    private async Task<(string CallSid, IReadOnlyList<JsonElement> Events, JsonElement Activity)> CallAsync(
        CallingOrg org, Func<JsonElement, bool>? until = null)
    {
        using var rep = await org.RepAsync();
        var callSid = await server.Simulator.ConnectAsync(await LiveDevServer.VoiceTokenAsync(rep), NewJersey);
        await server.WaitForCallAsync(callSid, s => s is { Status: "in-progress", ChildStatus: "in-progress" });
        await Task.Delay(100);
        (await server.Simulator.HangupAsync(callSid)).EnsureSuccessStatusCode();
        await server.WaitUntilSettledAsync(callSid);
        var activity = await Activities.WaitForSettledAsync(server, rep, callSid, until);
        return (callSid, await server.Simulator.EventsAsync(callSid), activity);
    }

    [Fact]
    public async Task RecordedCall_DefaultDisclosure_ProspectHearsTheTextBeforeTheBridgeAndTheActivitySaysSo()
    {
        // Arrange
        var org = await CallingOrg.CreateAsync(server);
        using (var admin = await org.AdminAsync())
        {
            await (await admin.PatchAsync("/api/admin/org", new { disclosureText = Text })).JsonAsync(HttpStatusCode.OK);
        }

        // Act
        var (callSid, events, activity) = await CallAsync(org, a => a.TryGetProperty("disclosurePlayedAt", out var at) && at.ValueKind == JsonValueKind.String);

        // Assert: the prospect leg (the child) fetched our disclosure URL, heard the text, and only then was bridged
        var sim = await server.Simulator.GetCallAsync(callSid);
        var heard = events.Single(e => Kind(e) == "say" && e.GetProperty("callSid").GetString() == sim.ChildCallSid);
        Assert.Equal(Text, Detail(heard));
        var bridged = events.Single(e => Kind(e) == "bridged");
        Assert.Equal(callSid, bridged.GetProperty("callSid").GetString());
        Assert.True(heard.GetProperty("id").GetInt64() < bridged.GetProperty("id").GetInt64(), "the disclosure plays before the bridge");
        Assert.Contains(events, e => Kind(e) == "twiml-request"
            && e.GetProperty("url").GetString()!.Contains("/api/twilio/disclosure")
            && e.GetProperty("status").GetInt32() == 200);

        Assert.True(activity.GetProperty("hasRecording").GetBoolean(), $"recorded: {activity}");
        Assert.Equal(JsonValueKind.String, activity.GetProperty("disclosurePlayedAt").ValueKind);
        var recorded = activity.GetProperty("recording").GetProperty("durationSeconds").GetInt32();
        Assert.True(recorded < activity.GetProperty("durationSeconds").GetInt32(), $"the recording starts after the disclosure: {activity}");
    }

    [Fact]
    public async Task RecordedCall_OnePartyStateWithoutDisclosure_RecordsWithNoWhisper()
    {
        // Arrange
        var org = await CallingOrg.CreateAsync(server);
        using (var admin = await org.AdminAsync())
        {
            await (await admin.PatchAsync("/api/admin/org", new
            {
                recordingJurisdictions = new Dictionary<string, string> { ["US-NJ"] = "record-without-disclosure" },
            })).JsonAsync(HttpStatusCode.OK);
        }

        // Act
        var (_, events, activity) = await CallAsync(org);

        // Assert
        Assert.DoesNotContain(events, e => Kind(e) == "twiml-request" && e.GetProperty("url").GetString()!.Contains("/api/twilio/disclosure"));
        Assert.DoesNotContain(events, e => Kind(e) is "say" or "play");
        Assert.True(activity.GetProperty("hasRecording").GetBoolean(), $"recorded: {activity}");
        Assert.False(activity.TryGetProperty("disclosurePlayedAt", out var at) && at.ValueKind != JsonValueKind.Null, $"no disclosure: {activity}");
    }

    [Fact]
    public async Task Call_StateRecordingOff_NeitherRecordsNorDiscloses()
    {
        // Arrange
        var org = await CallingOrg.CreateAsync(server);
        using (var admin = await org.AdminAsync())
        {
            await (await admin.PatchAsync("/api/admin/org", new
            {
                recordingJurisdictions = new Dictionary<string, string> { ["US-NJ"] = "off" },
            })).JsonAsync(HttpStatusCode.OK);
        }

        // Act
        var (_, events, activity) = await CallAsync(org);

        // Assert
        Assert.DoesNotContain(events, e => Kind(e) is "say" or "play");
        Assert.False(Activities.HasRecording(activity), $"not recorded: {activity}");
    }

    [Fact]
    public async Task PatchOrg_NoDisclosureInAllPartyState_Returns400NamingTheState()
    {
        // Arrange
        var org = await CallingOrg.CreateAsync(server);
        using var admin = await org.AdminAsync();

        // Act
        var response = await admin.PatchAsync("/api/admin/org", new
        {
            recordingJurisdictions = new Dictionary<string, string> { ["US-CA"] = "record-without-disclosure" },
        });

        // Assert
        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest, "recording-disclosure-required");
        Assert.Equal("recordingJurisdictions", problem.Str("field"));
        Assert.Contains("US-CA", problem.Str("detail"));
    }
}
