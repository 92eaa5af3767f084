using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Playbooks.DevServer.Tests.Http;
using Playbooks.DevServer.Tests.TwilioSimulator;

namespace Playbooks.DevServer.Tests.EndToEnd;

/// <summary>
/// Voicemail drop end to end: the rep's greeting in blob storage, our REST redirect of the prospect's leg, the simulator
/// fetching the greeting through its short-lived link and playing it on the prospect's leg only, the rep's leg ending at
/// once, and the activity saying "voicemail left" with the greeting.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class VoicemailDropTests(EndToEndServer server)
{
    /// <summary>The simulator's voicemail: answers, listens, never presses a key.</summary>
    private const string Voicemail = "+12015550104";

    private static string? Kind(JsonElement e) => e.GetProperty("kind").GetString();

    private static string? Sid(JsonElement e) => e.GetProperty("callSid").GetString();

    private static long Id(JsonElement e) => e.GetProperty("id").GetInt64();

    private static async Task<string> UploadAsync(HttpClient rep, string name, double seconds)
    {
        var content = new ByteArrayContent(TestAudio.Wav(seconds));
        content.Headers.ContentType = new MediaTypeHeaderValue("audio/wav");
        return (await (await rep.PostAsync($"/api/me/greetings?name={Uri.EscapeDataString(name)}", content)).JsonAsync(HttpStatusCode.Created)).Str("id");
    }

    [Fact]
    public async Task BrowserCall_DropOnVoicemail_ProspectLegPlaysTheGreetingAndHangsUpWhileTheRepIsFreedAndTheActivitySaysSo()
    {
        // Arrange
        var org = await CallingOrg.CreateAsync(server);
        using var rep = await org.RepAsync();
        var greetingId = await UploadAsync(rep, "Left a message", 3);
        var callSid = await server.Simulator.ConnectAsync(await LiveDevServer.VoiceTokenAsync(rep), Voicemail);
        await server.WaitForCallAsync(callSid, s => s is { Status: "in-progress", ChildStatus: "in-progress" });

        // Act
        var drop = await (await rep.PostAsJsonAsync($"/api/calls/{callSid}/voicemail-drop", new { greetingId })).JsonAsync(HttpStatusCode.OK);
        var sim = await server.WaitUntilSettledAsync(callSid);

        // Assert: the prospect's leg (the child) was redirected, fetched the greeting, played it and hung up
        Assert.Equal(sim.ChildCallSid, drop.Str("prospectCallSid"));
        Assert.Equal(("completed", "completed"), (sim.Status, sim.ChildStatus));
        var events = await server.Simulator.EventsAsync(callSid);
        var child = sim.ChildCallSid;
        var fetched = events.Single(e => Kind(e) == "media-fetched" && Sid(e) == child);
        Assert.Equal(200, fetched.GetProperty("status").GetInt32());
        Assert.Contains("/api/twilio/greetings/", fetched.GetProperty("url").GetString());
        var played = events.Single(e => Kind(e) == "play" && Sid(e) == child);
        var hungUp = events.Single(e => Kind(e) == "hangup" && Sid(e) == child);
        Assert.True(Id(played) < Id(hungUp), "the greeting plays, then the prospect's leg hangs up");
        Assert.DoesNotContain(events, e => Kind(e) == "play" && Sid(e) == callSid); // the rep never hears it

        // The rep's leg ended while the 3-second greeting was still playing: free for the next call at once.
        var repEnded = events.Single(e => Kind(e) == "status-changed" && Sid(e) == callSid && e.GetProperty("detail").GetString() == "completed");
        var prospectEnded = events.Single(e => Kind(e) == "status-changed" && Sid(e) == child && e.GetProperty("detail").GetString() == "completed");
        Assert.True(Id(repEnded) < Id(prospectEnded), "the rep's leg ends before the greeting finishes");

        var activity = await Activities.WaitForSettledAsync(server, rep, callSid,
            a => a.TryGetProperty("voicemail", out var v) && v.ValueKind == JsonValueKind.Object);
        var voicemail = activity.GetProperty("voicemail");
        Assert.Equal((greetingId, "Left a message"), (voicemail.Str("greetingId"), voicemail.Str("greetingName")));
        Assert.Equal("connected", activity.Str("outcome"));
    }

    [Fact]
    public async Task PhoneCall_DropOnVoicemail_RepsPhoneHangsUpAndTheProspectHearsTheGreeting()
    {
        // Arrange
        var org = await CallingOrg.CreateAsync(server);
        using var rep = await org.RepAsync();
        var greetingId = await UploadAsync(rep, "Phone drop", 2);
        var callSid = (await (await rep.PostAsJsonAsync("/api/calls", new { to = Voicemail })).JsonAsync(HttpStatusCode.Created)).Str("callSid");
        await server.WaitForCallAsync(callSid, s => s is { Status: "in-progress", ChildStatus: "in-progress" });

        // Act
        await (await rep.PostAsJsonAsync($"/api/calls/{callSid}/voicemail-drop", new { greetingId })).JsonAsync(HttpStatusCode.OK);
        var sim = await server.WaitUntilSettledAsync(callSid);

        // Assert
        Assert.Equal(("completed", "completed"), (sim.Status, sim.ChildStatus));
        Assert.Equal(CallingOrg.AgentPhone, sim.To);
        var events = await server.Simulator.EventsAsync(callSid);
        Assert.Contains(events, e => Kind(e) == "play" && Sid(e) == sim.ChildCallSid);
        var activity = await Activities.WaitForSettledAsync(server, rep, callSid,
            a => a.TryGetProperty("voicemail", out var v) && v.ValueKind == JsonValueKind.Object);
        Assert.Equal("Phone drop", activity.GetProperty("voicemail").Str("greetingName"));
    }

    [Fact]
    public async Task Drop_AnotherRepsCallOrGreeting_Returns404AndNothingIsRedirected()
    {
        // Arrange
        var org = await CallingOrg.CreateAsync(server);
        using var rep = await org.RepAsync();
        using var other = await server.SignInAsync("rep-both");
        var othersGreeting = await UploadAsync(other, "Not yours", 2);
        var callSid = await server.Simulator.ConnectAsync(await LiveDevServer.VoiceTokenAsync(rep), Voicemail);
        await server.WaitForCallAsync(callSid, s => s is { Status: "in-progress", ChildStatus: "in-progress" });
        var ownGreeting = await UploadAsync(rep, "Mine", 2);

        // Act
        var notTheirCall = await other.PostAsJsonAsync($"/api/calls/{callSid}/voicemail-drop", new { greetingId = othersGreeting });
        var notTheirGreeting = await rep.PostAsJsonAsync($"/api/calls/{callSid}/voicemail-drop", new { greetingId = othersGreeting });

        // Assert
        await notTheirCall.ProblemAsync(HttpStatusCode.NotFound, "not-found");
        Assert.Equal("greetingId", (await notTheirGreeting.ProblemAsync(HttpStatusCode.NotFound, "not-found")).Str("field"));
        Assert.DoesNotContain(await server.Simulator.EventsAsync(callSid), e => Kind(e) == "redirected");
        await (await rep.PostAsJsonAsync($"/api/calls/{callSid}/voicemail-drop", new { greetingId = ownGreeting })).JsonAsync(HttpStatusCode.OK);
        await server.WaitUntilSettledAsync(callSid);
    }
}
