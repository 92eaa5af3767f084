using System.Net;
using Playbooks.DevServer.Tests.Http;

namespace Playbooks.DevServer.Tests.Orgs;

[Collection(DevServerCollection.Name)]
public sealed class OrgApiTests(DevServerFactory server)
{
    [Fact]
    public async Task GetOrg_Admin_ReturnsOwnOrgSettingsWithETag()
    {
        var org = await TestOrg.CreateAsync(server);
        var admin = await org.AdminAsync();

        var response = await admin.GetAsync("/api/admin/org");

        var settings = await response.JsonAsync(HttpStatusCode.OK);
        Assert.Equal(org.OrgId, settings.Str("orgId"));
        Assert.False(settings.GetProperty("computerCallingEnabled").GetBoolean());
        Assert.Equal(["roaming"], settings.Strings("edges"));
        Assert.Equal(["pcmu", "opus"], settings.Strings("codecPreferences"));
        Assert.Equal(settings.Str("version"), response.ETag());
    }

    [Fact]
    public async Task PatchOrg_Admin_SavesSettingsAndReturnsTheNewETag()
    {
        var org = await TestOrg.CreateAsync(server);
        var callerId = await org.AssignCallerIdAsync();
        var admin = await org.AdminAsync();
        var etag = (await admin.GetAsync("/api/admin/org")).ETag();

        var response = await admin.PatchAsync("/api/admin/org",
            new { recording = "dual-channel", edges = new[] { "ashburn", "umatilla" }, callerId = $"{callerId[..2]} {callerId[2..]}", defaultCallingPreference = "computer", maxCallMinutes = 45 }, etag);

        var saved = await response.JsonAsync(HttpStatusCode.OK);
        Assert.Equal("dual-channel", saved.Str("recording"));
        Assert.Equal(["ashburn", "umatilla"], saved.Strings("edges"));
        Assert.Equal(callerId, saved.Str("callerId"));
        Assert.Equal(45, saved.GetProperty("maxCallMinutes").GetInt32());
        Assert.Equal("computer", saved.Str("defaultCallingPreference"));
        Assert.NotEqual(etag, response.ETag());
        Assert.Equal(response.ETag(), (await admin.GetAsync("/api/admin/org")).ETag());
    }

    [Fact]
    public async Task PatchOrg_SameETagTwice_SecondReturns412AndKeepsTheFirstEdit()
    {
        var admin = await (await TestOrg.CreateAsync(server)).AdminAsync();
        var etag = (await admin.GetAsync("/api/admin/org")).ETag();

        var first = await admin.PatchAsync("/api/admin/org", new { recording = "record-from-answer" }, etag);
        var second = await admin.PatchAsync("/api/admin/org", new { recording = "off", name = "Renamed" }, etag);

        await first.JsonAsync(HttpStatusCode.OK);
        await second.ProblemAsync(HttpStatusCode.PreconditionFailed, "stale-edit");
        var stored = await (await admin.GetAsync("/api/admin/org")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("record-from-answer", stored.Str("recording"));
        Assert.NotEqual("Renamed", stored.Str("name"));
    }

    [Fact]
    public async Task Org_ManagerAndRep_Return403()
    {
        var manager = await server.SignedInClientAsync("manager");
        var rep = await server.SignedInClientAsync("rep-both");

        var managerGet = await manager.GetAsync("/api/admin/org");
        var repPatch = await rep.PatchAsync("/api/admin/org", new { recording = "off" });

        await managerGet.ProblemAsync(HttpStatusCode.Forbidden, "role-required");
        await repPatch.ProblemAsync(HttpStatusCode.Forbidden, "role-required");
    }

    [Fact]
    public async Task Org_AdminOfAnotherOrg_ReadsAndEditsOnlyTheirOwnOrg()
    {
        var org = await TestOrg.CreateAsync(server);
        var admin = await org.AdminAsync();
        var demoAdmin = await server.SignedInClientAsync("admin");
        var demoBefore = (await demoAdmin.GetAsync("/api/admin/org")).ETag();

        var read = await (await admin.GetAsync("/api/admin/org")).JsonAsync(HttpStatusCode.OK);
        await (await admin.PatchAsync("/api/admin/org", new { name = "Not Acme" })).JsonAsync(HttpStatusCode.OK);

        Assert.Equal(org.OrgId, read.Str("orgId"));
        Assert.Equal(demoBefore, (await demoAdmin.GetAsync("/api/admin/org")).ETag());
    }

    [Fact]
    public async Task GetOrg_AdminOfUnprovisionedOrg_Returns403OrgNotProvisioned()
    {
        var admin = await server.SignedInClientAsync("admin-x", "unprovisioned-org", "Admin");

        var response = await admin.GetAsync("/api/admin/org");

        await response.ProblemAsync(HttpStatusCode.Forbidden, "org-not-provisioned");
    }

    [Theory]
    [InlineData("""{"recording":"loud"}""", "recording")]
    [InlineData("""{"edges":["mars"]}""", "edges")]
    [InlineData("""{"edges":[]}""", "edges")]
    [InlineData("""{"codecPreferences":["opus","pcmu"]}""", "codecPreferences")]
    [InlineData("""{"callerId":"555"}""", "callerId")]
    [InlineData("""{"allowedCountries":["XX"]}""", "allowedCountries")]
    [InlineData("""{"defaultCallingPreference":"fax"}""", "defaultCallingPreference")]
    [InlineData("""{"name":""}""", "name")]
    [InlineData("""{"maxCallMinutes":0}""", "maxCallMinutes")]
    [InlineData("""{"maxCallMinutes":241}""", "maxCallMinutes")]
    [InlineData("""{"maxCallMinutes":"long"}""", "maxCallMinutes")]
    [InlineData("""{"computerCallingEnabled":true}""", "computerCallingEnabled")]
    public async Task PatchOrg_BadInput_Returns400NamingTheField(string body, string field)
    {
        var admin = await (await TestOrg.CreateAsync(server)).AdminAsync();

        var response = await admin.PatchAsync("/api/admin/org", body);

        Assert.Equal(field, (await response.JsonAsync(HttpStatusCode.BadRequest)).Str("field"));
    }
}
