using Microsoft.Extensions.DependencyInjection;
using Playbooks.Calling.CallerIds;
using System.Net;
using System.Net.Http.Json;
using Playbooks.Calling.Identity;

namespace Playbooks.DevServer.Tests.Http;

/// <summary>
/// An org of a test's own, created through the Support API, so a test can change anything without touching the
/// shared demo org. Its users are ad-hoc dev identities.
/// </summary>
internal sealed class TestOrg(DevServerFactory server, string orgId, string version)
{
    public string OrgId => orgId;

    /// <summary>The version the org was created with.</summary>
    public string Version => version;

    public static async Task<TestOrg> CreateAsync(DevServerFactory server, bool computerCalling = false)
    {
        var support = await server.SignedInClientAsync("support");
        var orgId = $"t-{Guid.NewGuid():N}"[..20];
        var created = await support.PostAsJsonAsync("/api/support/orgs", new { orgId, name = $"Test org {orgId}" });
        await created.JsonAsync(HttpStatusCode.Created);
        var etag = created.ETag()!;
        if (computerCalling)
        {
            var enabled = await support.PutAsync($"/api/support/orgs/{orgId}/computer-calling", new { enabled = true });
            await enabled.JsonAsync(HttpStatusCode.OK);
            etag = enabled.ETag()!;
        }
        return new TestOrg(server, orgId, etag);
    }

    /// <summary>Gives the org a caller ID of its own straight in the store, as Support's assignment would.</summary>
    public async Task<string> AssignCallerIdAsync()
    {
        var number = $"+1500{Random.Shared.Next(200, 1000)}{Random.Shared.Next(0, 10_000):D4}";
        var assigned = await server.Services.GetRequiredService<CallerIdStore>()
            .AssignAsync(new CallerIdAssignment(number, orgId, DateTimeOffset.UtcNow, "test"));
        Assert.True(assigned.IsSuccess);
        return number;
    }

    public Task<HttpClient> AdminAsync(string userId = "admin-1") => server.SignedInClientAsync(userId, orgId, AppRoles.Admin);

    /// <summary>A rep of this org whose person row exists (their first GET /api/me creates it).</summary>
    public async Task<HttpClient> RepAsync(string userId)
    {
        var rep = await server.SignedInClientAsync(userId, orgId, AppRoles.Rep);
        (await rep.GetAsync("/api/me")).EnsureSuccessStatusCode();
        return rep;
    }
}
