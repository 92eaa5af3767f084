using System.Diagnostics;
using System.Net;
using Playbooks.Calling.Permissions;
using Playbooks.DevServer.Tests.Http;

namespace Playbooks.DevServer.Tests.Storage;

/// <summary>Two instances over one store: each caches directory rows, yet a permission change on one applies on the other within 5 s.</summary>
public sealed class DirectoryCacheTwoHostTests
{
    [Fact]
    public async Task PermissionChange_OnHostA_IsEnforcedOnHostBWithinFiveSeconds()
    {
        // Arrange
        await using var hostA = new StorageBudgetServer();
        await using var hostB = new StorageBudgetServer();
        var (orgId, userId) = await hostA.CreateCallingOrgAsync();
        var admin = await hostA.SignedInClientAsync("admin-1", orgId, "Admin");
        var repOnB = await hostB.SignedInClientAsync(userId, orgId, "Rep");
        Assert.Equal(HttpStatusCode.OK, (await repOnB.PostAsync("/api/calls/token", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await repOnB.PostAsync("/api/calls/token", null)).StatusCode); // B now holds the group in its cache
        var group = await admin.GetAsync($"/api/admin/permission-groups/{StorageBudgetServer.GroupId}");

        // Act
        var changed = await admin.PutAsync($"/api/admin/permission-groups/{StorageBudgetServer.GroupId}",
            new { name = "Callers", allowComputer = false, allowPhone = true }, group.ETag());
        await changed.JsonAsync(HttpStatusCode.OK);
        var sinceChange = Stopwatch.StartNew();
        HttpResponseMessage onB;
        do
        {
            onB = await repOnB.PostAsync("/api/calls/token", null);
            if (onB.StatusCode != HttpStatusCode.OK)
            {
                break;
            }
            await Task.Delay(100);
        }
        while (sinceChange.Elapsed < TimeSpan.FromSeconds(8));
        var enforcedAfter = sinceChange.Elapsed;

        // Assert
        await onB.ProblemAsync(HttpStatusCode.Forbidden, CallingPreferencePolicy.GroupForbidsComputer);
        Assert.True(enforcedAfter <= TimeSpan.FromSeconds(5.5), $"Host B still minted tokens {enforcedAfter.TotalSeconds:F1} s after the change.");
    }

    [Fact]
    public async Task PermissionChange_OnTheSameHost_IsEnforcedOnTheNextRequest()
    {
        // Arrange
        await using var host = new StorageBudgetServer();
        var (orgId, userId) = await host.CreateCallingOrgAsync();
        var admin = await host.SignedInClientAsync("admin-1", orgId, "Admin");
        var rep = await host.SignedInClientAsync(userId, orgId, "Rep");
        Assert.Equal(HttpStatusCode.OK, (await rep.PostAsync("/api/calls/token", null)).StatusCode);
        var group = await admin.GetAsync($"/api/admin/permission-groups/{StorageBudgetServer.GroupId}");

        // Act
        var changed = await admin.PutAsync($"/api/admin/permission-groups/{StorageBudgetServer.GroupId}",
            new { name = "Callers", allowComputer = false, allowPhone = true }, group.ETag());
        await changed.JsonAsync(HttpStatusCode.OK);
        var next = await rep.PostAsync("/api/calls/token", null);

        // Assert
        await next.ProblemAsync(HttpStatusCode.Forbidden, CallingPreferencePolicy.GroupForbidsComputer);
    }
}
