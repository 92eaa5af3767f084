using System.Net;
using System.Net.Http.Json;
using Playbooks.DevServer.Tests.Http;

namespace Playbooks.DevServer.Tests.Support;

[Collection(DevServerCollection.Name)]
public sealed class SupportApiTests(DevServerFactory server)
{
    [Fact]
    public async Task CreateOrg_Support_Returns201WithComputerCallingOffAndETag()
    {
        var support = await server.SignedInClientAsync("support");
        var orgId = $"s-{Guid.NewGuid():N}"[..20];

        var response = await support.PostAsJsonAsync("/api/support/orgs", new { orgId, name = "Globex" });

        var org = await response.JsonAsync(HttpStatusCode.Created);
        Assert.Equal(orgId, org.Str("orgId"));
        Assert.False(org.GetProperty("computerCallingEnabled").GetBoolean());
        Assert.Equal(org.Str("version"), response.ETag());
        Assert.Equal(response.ETag(), (await support.GetAsync($"/api/support/orgs/{orgId}")).ETag());
    }

    [Fact]
    public async Task ComputerCalling_EnabledOnSandbox_LeavesTheParentDisabled()
    {
        var parent = await TestOrg.CreateAsync(server);
        var support = await server.SignedInClientAsync("support");
        var sandboxId = $"{parent.OrgId}-sbx";
        var sandbox = await (await support.PostAsJsonAsync("/api/support/orgs", new { orgId = sandboxId, name = "Sandbox", parentOrgId = parent.OrgId }))
            .JsonAsync(HttpStatusCode.Created);

        var enabled = await support.PutAsync($"/api/support/orgs/{sandboxId}/computer-calling", new { enabled = true });

        Assert.True(sandbox.GetProperty("isSandbox").GetBoolean());
        Assert.True((await enabled.JsonAsync(HttpStatusCode.OK)).GetProperty("computerCallingEnabled").GetBoolean());
        var parentNow = await (await support.GetAsync($"/api/support/orgs/{parent.OrgId}")).JsonAsync(HttpStatusCode.OK);
        Assert.False(parentNow.GetProperty("computerCallingEnabled").GetBoolean());
    }

    [Fact]
    public async Task ComputerCalling_EnabledBySupport_ShowsInTheRepsProfile()
    {
        var org = await TestOrg.CreateAsync(server);
        var rep = await org.RepAsync("rep-1");
        var support = await server.SignedInClientAsync("support");

        await (await support.PutAsync($"/api/support/orgs/{org.OrgId}/computer-calling", new { enabled = true })).JsonAsync(HttpStatusCode.OK);

        var me = await (await rep.GetAsync("/api/me")).JsonAsync(HttpStatusCode.OK);
        Assert.True(me.GetProperty("calling").GetProperty("computerCallingEnabled").GetBoolean());
    }

    [Fact]
    public async Task ComputerCalling_SameETagTwice_SecondReturns412()
    {
        var org = await TestOrg.CreateAsync(server);
        var support = await server.SignedInClientAsync("support");

        var first = await support.PutAsync($"/api/support/orgs/{org.OrgId}/computer-calling", new { enabled = true }, org.Version);
        var second = await support.PutAsync($"/api/support/orgs/{org.OrgId}/computer-calling", new { enabled = false }, org.Version);

        await first.JsonAsync(HttpStatusCode.OK);
        await second.ProblemAsync(HttpStatusCode.PreconditionFailed, "stale-edit");
        var stored = await (await support.GetAsync($"/api/support/orgs/{org.OrgId}")).JsonAsync(HttpStatusCode.OK);
        Assert.True(stored.GetProperty("computerCallingEnabled").GetBoolean());
    }

    [Fact]
    public async Task CreateOrg_IdTaken_Returns409()
    {
        var org = await TestOrg.CreateAsync(server);
        var support = await server.SignedInClientAsync("support");

        var response = await support.PostAsJsonAsync("/api/support/orgs", new { orgId = org.OrgId, name = "Again" });

        await response.ProblemAsync(HttpStatusCode.Conflict, "org-exists");
    }

    [Fact]
    public async Task SupportOrgs_AdminOfAnOrg_Returns403AndChangesNothing()
    {
        var admin = await server.SignedInClientAsync("admin");
        var support = await server.SignedInClientAsync("support");
        var before = (await support.GetAsync("/api/support/orgs/acme-demo-sandbox")).ETag();

        var put = await admin.PutAsync("/api/support/orgs/acme-demo-sandbox/computer-calling", new { enabled = true });
        var post = await admin.PostAsJsonAsync("/api/support/orgs", new { name = "Rogue" });
        var get = await admin.GetAsync("/api/support/orgs/acme-demo");

        await put.ProblemAsync(HttpStatusCode.Forbidden, "role-required");
        await post.ProblemAsync(HttpStatusCode.Forbidden, "role-required");
        await get.ProblemAsync(HttpStatusCode.Forbidden, "role-required");
        Assert.Equal(before, (await support.GetAsync("/api/support/orgs/acme-demo-sandbox")).ETag());
    }

    [Fact]
    public async Task GetOrg_UnknownOrg_Returns404()
    {
        var support = await server.SignedInClientAsync("support");

        var response = await support.GetAsync("/api/support/orgs/no-such-org");

        await response.ProblemAsync(HttpStatusCode.NotFound, "not-found");
    }

    [Theory]
    [InlineData("""{"orgId":"Bad Id!","name":"X"}""", "orgId")]
    [InlineData("""{"orgId":"good-id","name":""}""", "name")]
    [InlineData("""{"name":"X","parentOrgId":"no-such-parent"}""", "parentOrgId")]
    [InlineData("""{"name":"X","plan":"gold"}""", "plan")]
    public async Task CreateOrg_BadInput_Returns400NamingTheField(string body, string field)
    {
        var support = await server.SignedInClientAsync("support");

        var response = await support.SendAsync(HttpMethod.Post, "/api/support/orgs", body);

        Assert.Equal(field, (await response.JsonAsync(HttpStatusCode.BadRequest)).Str("field"));
    }

    [Theory]
    [InlineData("""{}""", "enabled")]
    [InlineData("""{"enabled":"yes"}""", "enabled")]
    public async Task ComputerCalling_BadInput_Returns400NamingEnabled(string body, string field)
    {
        var org = await TestOrg.CreateAsync(server);
        var support = await server.SignedInClientAsync("support");

        var response = await support.SendAsync(HttpMethod.Put, $"/api/support/orgs/{org.OrgId}/computer-calling", body);

        Assert.Equal(field, (await response.JsonAsync(HttpStatusCode.BadRequest)).Str("field"));
    }
}
