using System.Net;
using Playbooks.DevServer.Tests.Http;

namespace Playbooks.DevServer.Tests.Me;

/// <summary>The web app polls GET /api/me with If-None-Match; anything the profile shows must change its ETag.</summary>
[Collection(DevServerCollection.Name)]
public sealed class MeConditionalGetTests(DevServerFactory server)
{
    private static async Task<HttpResponseMessage> GetMeAsync(HttpClient client, string? ifNoneMatch)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/me");
        if (ifNoneMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-None-Match", ifNoneMatch);
        }
        return await client.SendAsync(request);
    }

    [Fact]
    public async Task GetMe_IfNoneMatchIsCurrent_Returns304WithoutBody()
    {
        var org = await TestOrg.CreateAsync(server);
        var rep = await org.RepAsync("rep-1");
        var first = await GetMeAsync(rep, null);
        await first.JsonAsync(HttpStatusCode.OK);

        var again = await GetMeAsync(rep, first.ETag());

        Assert.Equal(HttpStatusCode.NotModified, again.StatusCode);
        Assert.Equal(first.ETag(), again.ETag());
        Assert.Empty(await again.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task GetMe_SupportTurnsComputerCallingOn_Returns200WithNewETag()
    {
        var org = await TestOrg.CreateAsync(server);
        var rep = await org.RepAsync("rep-1");
        var before = await GetMeAsync(rep, null);
        var beforeBody = await before.JsonAsync(HttpStatusCode.OK);
        var support = await server.SignedInClientAsync("support");
        await (await support.PutAsync($"/api/support/orgs/{org.OrgId}/computer-calling", new { enabled = true })).JsonAsync(HttpStatusCode.OK);

        var after = await GetMeAsync(rep, before.ETag());

        var me = await after.JsonAsync(HttpStatusCode.OK);
        Assert.True(me.GetProperty("calling").GetProperty("computerCallingEnabled").GetBoolean());
        Assert.NotEqual(before.ETag(), after.ETag());
        Assert.Equal(beforeBody.Str("version"), me.Str("version"));
    }

    [Fact]
    public async Task GetMe_ManagerChangesPreference_Returns200WithNewETag()
    {
        var manager = await server.SignedInClientAsync("manager");
        var rep = await server.SignedInClientAsync("rep-both");
        try
        {
            var before = await GetMeAsync(rep, null);
            Assert.Equal("computer", (await before.JsonAsync(HttpStatusCode.OK)).Str("callingPreference"));
            await (await manager.PatchAsync("/api/admin/people/rep-both", new { callingPreference = "phone" })).JsonAsync(HttpStatusCode.OK);

            var after = await GetMeAsync(rep, before.ETag());

            Assert.Equal("phone", (await after.JsonAsync(HttpStatusCode.OK)).Str("callingPreference"));
            Assert.NotEqual(before.ETag(), after.ETag());
            Assert.Equal(HttpStatusCode.NotModified, (await GetMeAsync(rep, after.ETag())).StatusCode);
        }
        finally
        {
            await manager.PatchAsync("/api/admin/people/rep-both", new { callingPreference = "computer" });
        }
    }
}
