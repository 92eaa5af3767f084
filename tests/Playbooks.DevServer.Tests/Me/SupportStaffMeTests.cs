using System.Net;
using System.Net.Http.Json;
using Playbooks.Calling.Identity;
using Playbooks.DevServer.Tests.Http;

namespace Playbooks.DevServer.Tests.Me;

/// <summary>Support staff sign in from the support tenant with no org of their own, on a store without the demo seed.</summary>
public sealed class SupportStaffMeTests
{
    /// <summary>The vendor tenant of appsettings.Development.json (Auth:SupportTenantId).</summary>
    private const string SupportTenantId = "5a5e1d3c-0000-4000-8000-000000000001";

    private sealed class EmptyStoreServer : DevServerFactory
    {
        protected override IDictionary<string, string?> Settings =>
            new Dictionary<string, string?>(base.Settings) { ["DevServer:SeedDemoOrg"] = "false" };
    }

    [Fact]
    public async Task GetMe_SupportFromTheSupportTenantWithNoOrg_Returns200AndTheyReachAnyOrgsSupportPages()
    {
        await using var server = new EmptyStoreServer();
        var vendorOrg = $"v-{Guid.NewGuid():N}"[..20];
        var support = await server.SignedInFromTenantAsync(SupportTenantId, "sue", vendorOrg, AppRoles.Support);

        var me = await support.GetAsync("/api/me");
        var again = await support.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/api/me") { Headers = { { "If-None-Match", me.ETag() } } });
        var created = await support.PostAsJsonAsync("/api/support/orgs", new { name = "Customer one" });
        var customer = (await created.JsonAsync(HttpStatusCode.Created)).Str("orgId");
        var enabled = await support.PutAsJsonAsync($"/api/support/orgs/{customer}/computer-calling", new { enabled = true });

        var body = await me.JsonAsync(HttpStatusCode.OK);
        Assert.Equal(["Support"], body.Strings("roles"));
        Assert.Empty(body.Strings("callingOptions"));
        Assert.False(body.GetProperty("canPlaceCalls").GetProperty("computer").GetProperty("allowed").GetBoolean());
        Assert.Equal(HttpStatusCode.NotModified, again.StatusCode);
        await enabled.JsonAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task GetMe_SupportRoleFromACustomerTenantWithNoOrg_Returns403()
    {
        await using var server = new EmptyStoreServer();
        var orgId = $"c-{Guid.NewGuid():N}"[..20];
        var pretender = await server.SignedInClientAsync("pretender", orgId, AppRoles.Support);

        var me = await pretender.GetAsync("/api/me");

        await me.ProblemAsync(HttpStatusCode.Forbidden, "not-a-playbooks-user");
    }
}
