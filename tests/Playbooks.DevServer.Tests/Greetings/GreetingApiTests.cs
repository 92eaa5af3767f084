using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Playbooks.Calling.Greetings;
using Playbooks.DevServer.Tests.Http;

namespace Playbooks.DevServer.Tests.Greetings;

/// <summary>The greetings API on the dev server over Azurite's blob storage: upload checks, ownership, playback, Twilio's link.</summary>
[Collection(DevServerCollection.Name)]
public sealed class GreetingApiTests(DevServerFactory server)
{
    private static async Task<HttpResponseMessage> UploadAsync(HttpClient client, byte[] audio, string? name = "Intro", string contentType = "audio/wav")
    {
        var content = new ByteArrayContent(audio);
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        var query = name is null ? "" : "?name=" + Uri.EscapeDataString(name);
        return await client.PostAsync("/api/me/greetings" + query, content);
    }

    [Fact]
    public async Task Upload_TwoSecondWav_Returns201ListsItAndPlaysTheSameBytesBack()
    {
        // Arrange
        var org = await TestOrg.CreateAsync(server);
        var rep = await org.RepAsync("rep-a");
        var wav = TestAudio.Wav(2);

        // Act
        var created = await (await UploadAsync(rep, wav, "Short intro")).JsonAsync(HttpStatusCode.Created);
        var list = await (await rep.GetAsync("/api/me/greetings")).JsonAsync(HttpStatusCode.OK);
        var audio = await rep.GetAsync(created.Str("audioPath"));

        // Assert
        Assert.Equal(("Short intro", "wav", 2.0), (created.Str("name"), created.Str("format"), created.GetProperty("durationSeconds").GetDouble()));
        var listed = Assert.Single(list.Items());
        Assert.Equal(created.Str("id"), listed.Str("id"));
        Assert.Equal(5, list.GetProperty("maxGreetings").GetInt32());
        Assert.Equal(HttpStatusCode.OK, audio.StatusCode);
        Assert.Equal("audio/wav", audio.Content.Headers.ContentType?.MediaType);
        Assert.Equal(wav, await audio.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Upload_TextNamedAsWav_Returns400FormatUnsupported()
    {
        var rep = await (await TestOrg.CreateAsync(server)).RepAsync("rep-a");

        var response = await UploadAsync(rep, "RIFF? no, just words pretending to be a wave file"u8.ToArray());

        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest, GreetingService.FormatUnsupported);
        Assert.Equal("body", problem.Str("field"));
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(61)]
    public async Task Upload_OutsideOneToSixtySeconds_Returns400DurationOutOfRange(double seconds)
    {
        var rep = await (await TestOrg.CreateAsync(server)).RepAsync("rep-a");

        var response = await UploadAsync(rep, TestAudio.Wav(seconds));

        await response.ProblemAsync(HttpStatusCode.BadRequest, GreetingService.DurationOutOfRange);
    }

    [Fact]
    public async Task Upload_NoName_Returns400NamingName()
    {
        var rep = await (await TestOrg.CreateAsync(server)).RepAsync("rep-a");

        var response = await UploadAsync(rep, TestAudio.Wav(2), name: null);

        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest, "invalid-field");
        Assert.Equal("name", problem.Str("field"));
    }

    [Fact]
    public async Task Upload_OverTwoMegabytes_Returns413()
    {
        var rep = await (await TestOrg.CreateAsync(server)).RepAsync("rep-a");

        var response = await UploadAsync(rep, TestAudio.Wav(59, sampleRate: 22050));

        await response.ProblemAsync(HttpStatusCode.RequestEntityTooLarge, "body-too-large");
    }

    [Fact]
    public async Task Upload_SixthGreeting_Returns409AndKeepsFive()
    {
        // Arrange
        var rep = await (await TestOrg.CreateAsync(server)).RepAsync("rep-a");
        var wav = TestAudio.Wav(1.5);
        for (var i = 0; i < GreetingService.MaxPerRep; i++)
        {
            await (await UploadAsync(rep, wav, $"Greeting {i}")).JsonAsync(HttpStatusCode.Created);
        }

        // Act
        var response = await UploadAsync(rep, wav, "One too many");

        // Assert
        await response.ProblemAsync(HttpStatusCode.Conflict, GreetingService.LimitReached);
        Assert.Equal(GreetingService.MaxPerRep, (await (await rep.GetAsync("/api/me/greetings")).JsonAsync(HttpStatusCode.OK)).Items().Count);
    }

    [Fact]
    public async Task OtherRepOrOtherOrg_AnothersGreeting_Returns404AndDeletesNothing()
    {
        // Arrange
        var org = await TestOrg.CreateAsync(server);
        var owner = await org.RepAsync("rep-a");
        var colleague = await org.RepAsync("rep-b");
        var stranger = await (await TestOrg.CreateAsync(server)).RepAsync("rep-a"); // the same user id, in another org
        var id = (await (await UploadAsync(owner, TestAudio.Wav(2))).JsonAsync(HttpStatusCode.Created)).Str("id");

        foreach (var other in new[] { colleague, stranger })
        {
            // Act
            var audio = await other.GetAsync($"/api/me/greetings/{id}/audio");
            var deleted = await other.DeleteAsync($"/api/me/greetings/{id}");
            var listed = await (await other.GetAsync("/api/me/greetings")).JsonAsync(HttpStatusCode.OK);

            // Assert
            await audio.ProblemAsync(HttpStatusCode.NotFound, "not-found");
            await deleted.ProblemAsync(HttpStatusCode.NotFound, "not-found");
            Assert.Empty(listed.Items());
        }

        Assert.Equal(HttpStatusCode.OK, (await owner.GetAsync($"/api/me/greetings/{id}/audio")).StatusCode);
    }

    [Fact]
    public async Task Delete_OwnGreeting_Returns204AndItIsGone()
    {
        var rep = await (await TestOrg.CreateAsync(server)).RepAsync("rep-a");
        var id = (await (await UploadAsync(rep, TestAudio.Wav(2))).JsonAsync(HttpStatusCode.Created)).Str("id");

        var deleted = await rep.DeleteAsync($"/api/me/greetings/{id}");

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        await (await rep.GetAsync($"/api/me/greetings/{id}/audio")).ProblemAsync(HttpStatusCode.NotFound, "not-found");
        Assert.Empty((await (await rep.GetAsync("/api/me/greetings")).JsonAsync(HttpStatusCode.OK)).Items());
    }

    [Fact]
    public async Task TwilioLink_SignedForTheGreeting_ServesItWithoutATokenAndAlteredLinksAre403()
    {
        // Arrange
        var org = await TestOrg.CreateAsync(server);
        var rep = await org.RepAsync("rep-a");
        var wav = TestAudio.Wav(2);
        var id = (await (await UploadAsync(rep, wav)).JsonAsync(HttpStatusCode.Created)).Str("id");
        var link = server.Services.GetRequiredService<GreetingLinks>().Create(new GreetingLinkTarget(org.OrgId, "rep-a", id));
        var other = server.Services.GetRequiredService<GreetingLinks>().Create(new GreetingLinkTarget(org.OrgId, "rep-b", id));
        var anonymous = server.CreateClient();

        // Act
        var played = await anonymous.GetAsync(link.PathAndQuery);
        var altered = await anonymous.GetAsync(link.PathAndQuery[..^2] + (link.PathAndQuery.EndsWith("AA", StringComparison.Ordinal) ? "BB" : "AA"));
        var othersLink = await anonymous.GetAsync(other.PathAndQuery);

        // Assert
        Assert.StartsWith(GreetingLinks.PathPrefix, link.AbsolutePath);
        Assert.Equal(wav, await played.Content.ReadAsByteArrayAsync());
        await altered.ProblemAsync(HttpStatusCode.Forbidden, GreetingLinks.Invalid);
        await othersLink.ProblemAsync(HttpStatusCode.NotFound, "not-found"); // signed, but rep-b has no such greeting
    }

    [Fact]
    public async Task VoicemailDrop_CallOfNobodyHere_Returns404AndMissingGreeting400()
    {
        var rep = await (await TestOrg.CreateAsync(server)).RepAsync("rep-a");

        var unknown = await rep.PostAsJsonAsync("/api/calls/CA0123456789abcdef0123456789abcdef/voicemail-drop", new { greetingId = new string('a', 32) });
        var missing = await rep.PostAsJsonAsync("/api/calls/CA0123456789abcdef0123456789abcdef/voicemail-drop", new { });

        await unknown.ProblemAsync(HttpStatusCode.NotFound, "not-found");
        Assert.Equal("greetingId", (await missing.ProblemAsync(HttpStatusCode.BadRequest, "missing-field")).Str("field"));
    }
}
