using System.Net;
using Playbooks.DevServer.Tests.Http;

namespace Playbooks.DevServer.Tests.Bootstrap;

/// <summary>
/// A fresh deployment: the dev server starts without the demo seed and with Bootstrap settings naming an org nobody
/// has created, and its admin signs in with no hand edits. Each run uses a new org and admin, so the store is empty for them.
/// </summary>
public sealed class BootstrapHostTests
{
    private readonly string orgId = Guid.NewGuid().ToString("D");
    private readonly string adminId = Guid.NewGuid().ToString("D");

    private sealed class BootstrappedServer(IReadOnlyDictionary<string, string?> bootstrap) : DevServerFactory
    {
        protected override IDictionary<string, string?> Settings =>
            new Dictionary<string, string?>(base.Settings.Concat(bootstrap));
    }

    private BootstrappedServer Start() => new(new Dictionary<string, string?>
    {
        ["DevServer:SeedDemoOrg"] = "false",
        ["Bootstrap:OrgId"] = orgId,
        ["Bootstrap:OrgName"] = "Contoso Sales",
        ["Bootstrap:AdminObjectId"] = adminId,
    });

    [Fact]
    public async Task Start_BootstrapSettings_FirstAdminSignsInToTheirOrg()
    {
        await using var server = Start();
        var admin = await server.SignedInClientAsync(adminId, orgId, "Admin");

        var me = await (await admin.GetAsync("/api/me")).JsonAsync(HttpStatusCode.OK);
        var org = await (await admin.GetAsync("/api/admin/org")).JsonAsync(HttpStatusCode.OK);

        Assert.Equal(orgId, me.GetProperty("org").Str("id"));
        Assert.Equal("Contoso Sales", me.GetProperty("org").Str("name"));
        Assert.Equal(adminId, me.GetProperty("user").Str("id"));
        Assert.Equal("Contoso Sales", org.Str("name"));
        Assert.False(org.GetProperty("computerCallingEnabled").GetBoolean());
        var audit = await (await admin.GetAsync("/api/admin/audit")).JsonAsync(HttpStatusCode.OK);
        var byBootstrap = audit.Items().Where(e => e.Str("actorUserId") == "bootstrap").Select(e => e.Str("action")).ToList();
        Assert.Equal(["person.created", "org.created"], byBootstrap);
    }

    [Fact]
    public async Task Start_SecondTime_DuplicatesAndChangesNothing()
    {
        string firstVersion;
        await using (var first = Start())
        {
            var admin = await first.SignedInClientAsync(adminId, orgId, "Admin");
            var created = await admin.GetAsync("/api/admin/org");
            await created.JsonAsync(HttpStatusCode.OK);
            firstVersion = created.ETag()!;
        }

        await using var second = Start();
        var again = await second.SignedInClientAsync(adminId, orgId, "Admin");
        var org = await again.GetAsync("/api/admin/org");
        await org.JsonAsync(HttpStatusCode.OK);
        var people = await (await again.GetAsync("/api/admin/people")).JsonAsync(HttpStatusCode.OK);
        var audit = await (await again.GetAsync("/api/admin/audit")).JsonAsync(HttpStatusCode.OK);

        Assert.Equal(firstVersion, org.ETag());
        Assert.Equal(adminId, Assert.Single(people.Items()).Str("userId"));
        Assert.Equal(2, audit.Items().Count(e => e.Str("actorUserId") == "bootstrap"));
    }

    [Fact]
    public async Task Start_NoDemoSeed_OtherOrgsAdminIsNotLetIn()
    {
        await using var server = Start();
        var stranger = await server.SignedInClientAsync(Guid.NewGuid().ToString("D"), Guid.NewGuid().ToString("D"), "Admin");

        var response = await stranger.GetAsync("/api/admin/org");

        await response.ProblemAsync(HttpStatusCode.Forbidden, "org-not-provisioned");
    }
}
