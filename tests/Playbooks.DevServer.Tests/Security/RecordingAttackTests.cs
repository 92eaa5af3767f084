using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Playbooks.Calling.Identity;
using Playbooks.DevServer.Tests.EndToEnd;
using Playbooks.DevServer.Tests.TwilioSimulator;

namespace Playbooks.DevServer.Tests.Security;

/// <summary>
/// Recordings stay private: after a recorded call through the simulator, no API response shows Twilio's recording URL
/// (or its SID), and the audio comes only through our playback route, to the call's rep and their org's admin; a
/// rep or an admin of another org gets the same 404 as for a call that does not exist.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class RecordingAttackTests(EndToEndServer server)
{
    private const string HangsUpAfter5Seconds = "+12015550105";

    private sealed record RecordedCall(CallingOrg Org, string CallSid, string RecordingUrl, string RecordingSid);

    private async Task<RecordedCall> RecordedCallAsync()
    {
        var org = await CallingOrg.CreateAsync(server);
        using var rep = await org.RepAsync();
        var callSid = await server.Simulator.ConnectAsync(await LiveDevServer.VoiceTokenAsync(rep), HangsUpAfter5Seconds);
        await server.WaitUntilSettledAsync(callSid);
        await Activities.WaitForSettledAsync(server, rep, callSid, a => a.TryGetProperty("hasRecording", out var has) && has.GetBoolean());
        var recording = (await server.Simulator.EventsAsync(callSid))
            .Where(e => e.GetProperty("kind").GetString() == "callback" && e.GetProperty("params").TryGetProperty("RecordingUrl", out _))
            .Select(e => e.GetProperty("params"))
            .Last();
        return new RecordedCall(org, callSid, recording.GetProperty("RecordingUrl").GetString()!, recording.GetProperty("RecordingSid").GetString()!);
    }

    [Fact]
    public async Task RecordedCall_EveryApiResponse_ShowsNoTwilioRecordingUrlOrSid()
    {
        // Arrange
        var call = await RecordedCallAsync();
        using var rep = await call.Org.RepAsync();
        using var admin = await call.Org.AdminAsync();
        var disposition = await rep.PutAsJsonAsync($"/api/calls/{call.CallSid}/disposition", new { disposition = "meeting-booked", notes = "Tuesday" });
        Assert.Equal(HttpStatusCode.OK, disposition.StatusCode);

        // Act: everything the rep and the admin can read
        var bodies = new Dictionary<string, string>
        {
            ["PUT disposition"] = await disposition.Content.ReadAsStringAsync(),
        };
        foreach (var path in new[] { "/api/me", "/api/calls/recent" })
        {
            bodies["rep " + path] = await OkBodyAsync(rep, path);
        }

        foreach (var path in new[]
        {
            "/api/me", "/api/calls/recent", "/api/admin/calls", $"/api/admin/calls?userId={CallingOrg.RepId}", "/api/admin/org",
            "/api/admin/people", $"/api/admin/people/{CallingOrg.RepId}", "/api/admin/teams", "/api/admin/permission-groups",
            "/api/admin/audit", "/api/admin/quality-reports", "/api/admin/crm", "/api/admin/crm/failures",
        })
        {
            bodies["admin " + path] = await BodyAsync(admin, path);
        }

        // Assert
        var recentCall = JsonDocument.Parse(bodies["rep /api/calls/recent"]).RootElement.GetProperty("items").EnumerateArray()
            .Single(i => i.GetProperty("callSid").GetString() == call.CallSid);
        Assert.True(recentCall.GetProperty("hasRecording").GetBoolean());
        Assert.Equal($"/api/calls/{call.CallSid}/recording", recentCall.GetProperty("recording").GetProperty("playbackPath").GetString());
        Assert.Contains(call.CallSid, bodies["admin /api/admin/calls"], StringComparison.Ordinal);
        Assert.All(bodies, body =>
        {
            Assert.False(body.Value.Contains(call.RecordingUrl, StringComparison.OrdinalIgnoreCase), $"{body.Key} shows the recording URL: {body.Value}");
            Assert.False(body.Value.Contains(call.RecordingSid, StringComparison.OrdinalIgnoreCase), $"{body.Key} shows the recording SID: {body.Value}");
            Assert.False(body.Value.Contains("/Recordings/", StringComparison.OrdinalIgnoreCase), $"{body.Key} shows a Twilio recording path: {body.Value}");
        });
    }

    [Fact]
    public async Task Playback_TheCallsRepAndTheOrgsAdmin_GetTheAudioPrivately()
    {
        // Arrange
        var call = await RecordedCallAsync();
        using var rep = await call.Org.RepAsync();
        using var admin = await call.Org.AdminAsync();

        foreach (var client in new[] { rep, admin })
        {
            // Act
            var response = await client.GetAsync($"/api/calls/{call.CallSid}/recording");

            // Assert
            var audio = await response.Content.ReadAsByteArrayAsync();
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.StartsWith("audio/", response.Content.Headers.ContentType!.MediaType, StringComparison.Ordinal);
            Assert.Equal("RIFF", System.Text.Encoding.ASCII.GetString(audio, 0, 4));
            Assert.True(audio.Length > 44 + 8000, $"about 5 s of audio, got {audio.Length} bytes");
            Assert.True(response.Headers.CacheControl is { Private: true, NoStore: true }, $"Cache-Control: {response.Headers.CacheControl}");
        }
    }

    [Theory]
    [InlineData(CallingOrg.RepId, AppRoles.Rep)]
    [InlineData(CallingOrg.AdminId, AppRoles.Admin)]
    [InlineData("manager-1", AppRoles.Manager)]
    public async Task Playback_SameUserIdInAnotherOrg_Returns404Problem(string userId, string role)
    {
        // Arrange: another org, signed in with the very user id that placed the call
        var call = await RecordedCallAsync();
        var otherOrg = await CallingOrg.CreateAsync(server, recording: "off");
        using var intruder = await server.SignInAsync(userId, otherOrg.OrgId, role);

        // Act
        var response = await intruder.GetAsync($"/api/calls/{call.CallSid}/recording");

        // Assert
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("not-found", problem.GetProperty("code").GetString());
        Assert.DoesNotContain(await server.Simulator.EventsAsync(call.CallSid), e => e.GetProperty("kind").GetString() == "recording-fetched");
    }

    [Fact]
    public async Task Playback_AnotherRepOfTheSameOrg_Returns404WithoutFetchingFromTwilio()
    {
        // Arrange
        var call = await RecordedCallAsync();
        using var otherRep = await server.SignInAsync("rep-2", call.Org.OrgId, AppRoles.Rep);

        // Act
        var response = await otherRep.GetAsync($"/api/calls/{call.CallSid}/recording");

        // Assert
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.DoesNotContain(await server.Simulator.EventsAsync(call.CallSid), e => e.GetProperty("kind").GetString() == "recording-fetched");
    }

    [Fact]
    public async Task Playback_DemoOrg_ManagerOfTheRepsTeamGetsIt_AnotherManagerGets404()
    {
        // Arrange: rep-both is on team East, which "manager" manages; "manager-west" manages no team of the rep's
        using var rep = await server.SignInAsync("rep-both");
        var callSid = await server.Simulator.ConnectAsync(await LiveDevServer.VoiceTokenAsync(rep), HangsUpAfter5Seconds);
        await server.WaitUntilSettledAsync(callSid);
        await Activities.WaitForSettledAsync(server, rep, callSid, a => a.TryGetProperty("hasRecording", out var has) && has.GetBoolean());
        using var teamManager = await server.SignInAsync("manager");
        using var otherManager = await server.SignInAsync("manager-west", "acme-demo", AppRoles.Manager);

        // Act
        var allowed = await teamManager.GetAsync($"/api/calls/{callSid}/recording");
        var refused = await otherManager.GetAsync($"/api/calls/{callSid}/recording");

        // Assert
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Equal("RIFF", System.Text.Encoding.ASCII.GetString(await allowed.Content.ReadAsByteArrayAsync(), 0, 4));
        Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task Playback_WithoutAToken_Returns401AndTheRecordingsTwilioUrlWithoutCredentials401()
    {
        // Arrange
        var call = await RecordedCallAsync();
        using var anonymous = server.Client();

        // Act
        var ours = await anonymous.GetAsync($"/api/calls/{call.CallSid}/recording");
        var twilios = await anonymous.GetAsync(call.RecordingUrl);

        // Assert
        Assert.Equal(HttpStatusCode.Unauthorized, ours.StatusCode);
        Assert.Equal("application/problem+json", ours.Content.Headers.ContentType!.MediaType);
        Assert.Equal(HttpStatusCode.Unauthorized, twilios.StatusCode);
    }

    [Theory]
    [InlineData("CA00000000000000000000000000000000")]
    [InlineData("..%2F..%2Fsim%2F2010-04-01")]
    public async Task Playback_UnknownOrCraftedCallSid_Returns404Problem(string callSid)
    {
        var org = await CallingOrg.CreateAsync(server);
        using var admin = await org.AdminAsync();

        var response = await admin.GetAsync($"/api/calls/{callSid}/recording");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
    }

    private static async Task<string> OkBodyAsync(HttpClient client, string path)
    {
        var response = await client.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path} answered {(int)response.StatusCode}: {body}");
        return body;
    }

    private static async Task<string> BodyAsync(HttpClient client, string path) =>
        await (await client.GetAsync(path)).Content.ReadAsStringAsync();
}
