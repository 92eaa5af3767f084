using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Playbooks.DevServer.Tests.DevSignIn;

[Collection(DevServerCollection.Name)]
public sealed class DevSignInTests(DevServerFactory server)
{
    [Fact]
    public async Task DevUsers_Development_ListsSeededUsersOfEveryRole()
    {
        var users = await server.CreateClient().GetFromJsonAsync<JsonElement>("/dev/users");

        var roles = users.EnumerateArray()
            .Where(u => u.GetProperty("orgId").GetString() == "acme-demo")
            .SelectMany(u => u.GetProperty("roles").EnumerateArray().Select(r => r.GetString()))
            .ToHashSet();
        Assert.Superset(new HashSet<string?> { "Rep", "Manager", "Admin", "Support" }, roles);
    }

    [Fact]
    public async Task DevToken_SeededUser_IsAcceptedByTheNormalValidationPath()
    {
        var client = await server.SignedInClientAsync("rep-both");

        var me = await client.GetFromJsonAsync<JsonElement>("/api/me");

        Assert.Equal("rep-both", me.GetProperty("user").GetProperty("id").GetString());
        Assert.Equal("acme-demo", me.GetProperty("org").GetProperty("id").GetString());
        Assert.Equal(["Rep"], me.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
    }

    [Fact]
    public async Task DevToken_AdHocIdentityOfUnprovisionedOrg_MeAnswers403OrgNotProvisioned()
    {
        var client = await server.SignedInClientAsync("outsider", "other-org", "Admin");

        var response = await client.GetAsync("/api/me");

        // The token is accepted and carries its org; the org itself has not been set up by Support.
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("org-not-provisioned", problem.GetProperty("code").GetString());
        Assert.Contains("other-org", problem.GetProperty("detail").GetString());
        Assert.Contains("support", problem.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("support", "5a5e1d3c-0000-4000-8000-000000000001")]
    [InlineData("admin", null)]
    public async Task DevToken_SeededUser_SupportFromTheSupportTenantOthersFromTheirOrgsTenant(string userId, string? expectedTenant)
    {
        var issued = await (await server.CreateClient().PostAsJsonAsync("/dev/token", new { userId })).Content.ReadFromJsonAsync<JsonElement>();

        var tenant = TenantOf(issued.GetProperty("accessToken").GetString()!);

        Assert.NotNull(tenant);
        if (expectedTenant is null)
        {
            Assert.NotEqual("5a5e1d3c-0000-4000-8000-000000000001", tenant);
            Assert.True(Guid.TryParse(tenant, out _));
        }
        else
        {
            Assert.Equal(expectedTenant, tenant);
        }
    }

    [Fact]
    public async Task DevToken_SeededSupport_ReachesSupportRoutes()
    {
        var support = await server.SignedInClientAsync("support");

        var response = await support.GetAsync("/api/support/orgs/acme-demo");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static string? TenantOf(string jwt)
    {
        var payload = jwt.Split('.')[1].Replace('-', '+').Replace('_', '/');
        var json = Convert.FromBase64String(payload.PadRight(payload.Length + ((4 - (payload.Length % 4)) % 4), '='));
        return JsonDocument.Parse(json).RootElement.GetProperty("tid").GetString();
    }

    [Fact]
    public async Task DevToken_UnknownUser_Returns400NamingUserId()
    {
        var response = await server.CreateClient().PostAsJsonAsync("/dev/token", new { userId = "nobody" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("userId", problem.GetProperty("field").GetString());
    }

    [Fact]
    public async Task DevSignIn_OutsideDevelopment_IsNotServedAndItsTokensAreRejected()
    {
        var devToken = await TokenFromDevelopmentAsync();
        await using var production = new ProductionDevServerFactory();
        var client = production.CreateClient();

        var users = await client.GetAsync("/dev/users");
        var token = await client.PostAsJsonAsync("/dev/token", new { userId = "admin" });
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", devToken);
        var me = await client.GetAsync("/api/me");

        Assert.Equal(HttpStatusCode.NotFound, users.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, token.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, me.StatusCode);
    }

    private async Task<string> TokenFromDevelopmentAsync()
    {
        var client = await server.SignedInClientAsync("admin");
        return client.DefaultRequestHeaders.Authorization!.Parameter!;
    }
}
