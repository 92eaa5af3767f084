using System.Net;
using System.Net.Http.Json;
using Playbooks.DevServer.Tests.Http;

namespace Playbooks.DevServer.Tests.Audit;

[Collection(DevServerCollection.Name)]
public sealed class AuditApiTests(DevServerFactory server)
{
    [Fact]
    public async Task ListAudit_Admin_ShowsOwnOrgsChangesNewestFirstWithWhoAndWhat()
    {
        var org = await TestOrg.CreateAsync(server);
        var admin = await org.AdminAsync();
        await (await admin.PostAsJsonAsync("/api/admin/permission-groups", new { name = "Audited", allowComputer = false, allowPhone = true })).JsonAsync(HttpStatusCode.Created);
        await (await admin.PatchAsync("/api/admin/org", new { recording = "dual-channel" })).JsonAsync(HttpStatusCode.OK);

        var page = await (await admin.GetAsync("/api/admin/audit")).JsonAsync(HttpStatusCode.OK);

        Assert.Equal(["org.updated", "permission-group.created", "org.created"], page.Items().Select(e => e.Str("action")));
        Assert.All(page.Items(), e => Assert.Equal(org.OrgId, e.Str("orgId")));
        Assert.Equal("admin-1", page.Items()[0].Str("actorUserId"));
        Assert.Contains("dual-channel", page.Items()[0].Str("after"));
        Assert.Equal("support", page.Items()[2].Str("actorUserId"));
    }

    [Fact]
    public async Task ListAudit_PageSizeOne_PagesWithContinuationToken()
    {
        var org = await TestOrg.CreateAsync(server);
        var admin = await org.AdminAsync();
        await (await admin.PatchAsync("/api/admin/org", new { recording = "dual-channel" })).JsonAsync(HttpStatusCode.OK);

        var first = await (await admin.GetAsync("/api/admin/audit?pageSize=1")).JsonAsync(HttpStatusCode.OK);
        var token = Uri.EscapeDataString(first.Str("continuationToken"));
        var second = await (await admin.GetAsync($"/api/admin/audit?pageSize=1&continuationToken={token}")).JsonAsync(HttpStatusCode.OK);

        Assert.Equal("org.updated", Assert.Single(first.Items()).Str("action"));
        Assert.Equal("org.created", Assert.Single(second.Items()).Str("action"));
    }

    [Fact]
    public async Task ListAudit_Manager_Returns403()
    {
        var manager = await server.SignedInClientAsync("manager");

        var response = await manager.GetAsync("/api/admin/audit");

        await response.ProblemAsync(HttpStatusCode.Forbidden, "role-required");
    }

    [Fact]
    public async Task ListAudit_AdminOfAnotherOrg_SeesNoDemoEntries()
    {
        var outsider = await server.SignedInClientAsync("admin-x", "other-org-audit", "Admin");

        var page = await (await outsider.GetAsync("/api/admin/audit")).JsonAsync(HttpStatusCode.OK);

        Assert.Empty(page.Items());
    }
}
