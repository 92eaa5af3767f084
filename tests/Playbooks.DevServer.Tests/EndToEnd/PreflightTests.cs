using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Playbooks.Calling.Calls;

namespace Playbooks.DevServer.Tests.EndToEnd;

/// <summary>
/// The network test through the simulator: a preflight token for any rep, the preflight TwiML app's route recording a
/// few seconds and playing them back, and nothing ever dialed nor sent to the calling webhook.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class PreflightTests(EndToEndServer server)
{
    private const string Prospect = "+12015550100";

    private static async Task<string> PreflightTokenAsync(HttpClient rep)
    {
        var response = await rep.PostAsync("/api/calls/preflight-token", null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.StartsWith(PreflightIdentity.Prefix, body.GetProperty("identity").GetString());
        Assert.Equal(JsonValueKind.Array, body.GetProperty("edges").ValueKind);
        return body.GetProperty("token").GetString()!;
    }

    private static string Path(JsonElement e) =>
        e.TryGetProperty("url", out var url) && url.ValueKind == JsonValueKind.String ? new Uri(url.GetString()!).AbsolutePath : "";

    [Fact]
    public async Task Preflight_RepWhosePreferenceIsPhone_RecordsAndPlaysBackWithoutDialing()
    {
        // Arrange: rep-phone cannot get a calling token, and asks for a prospect's number in To anyway.
        using var rep = await server.SignInAsync("rep-phone");
        Assert.Equal(HttpStatusCode.Forbidden, (await rep.PostAsync("/api/calls/token", null)).StatusCode);
        var token = await PreflightTokenAsync(rep);

        // Act
        var callSid = await server.Simulator.ConnectAsync(token, Prospect);

        // Assert
        var sim = await server.WaitUntilSettledAsync(callSid);
        Assert.Equal("completed", sim.Status);
        Assert.Null(sim.ChildCallSid);
        var events = await server.Simulator.EventsAsync(callSid);
        var requested = events.Where(e => e.GetProperty("kind").GetString() == "twiml-request").Select(Path).ToList();
        Assert.Equal([PreflightTwiml.Path, PreflightTwiml.PlaybackPath], requested);
        Assert.Contains(events, e => e.GetProperty("kind").GetString() == "record");
        var play = Assert.Single(events, e => e.GetProperty("kind").GetString() == "play");
        Assert.Matches("/Recordings/RE[0-9a-f]{32}\\.wav$", play.GetProperty("detail").GetString());
        Assert.DoesNotContain(events, e => e.GetProperty("kind").GetString() == "call-created" && e.TryGetProperty("parentCallSid", out var p) && p.GetString() == callSid);
        Assert.DoesNotContain(await server.Simulator.EventsAsync(), e => e.TryGetProperty("callSid", out var sid) && sid.GetString() == callSid && Path(e) == "/api/twilio/voice");
    }

    [Fact]
    public async Task PreflightToken_Anonymous_Returns401()
    {
        // Act
        var response = await server.Client().PostAsync("/api/calls/preflight-token", null);

        // Assert
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
