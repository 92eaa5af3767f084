using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Playbooks.Calling.Identity;
using Playbooks.DevServer.Tests.Http;

namespace Playbooks.DevServer.Tests.People;

/// <summary>People arrive by signing in: the org's defaults, people added by email ahead of sign-in, calling without a group.</summary>
[Collection(DevServerCollection.Name)]
public sealed class PeopleOnboardingApiTests(DevServerFactory server)
{
    [Fact]
    public async Task AddPerson_ThenTheirFirstSignIn_ClaimsTheRecordWithWhatTheAdminSetAndAuditsBoth()
    {
        var org = await TestOrg.CreateAsync(server);
        var admin = await org.AdminAsync();
        var group = await (await admin.PostAsJsonAsync("/api/admin/permission-groups", new { name = "Phone reps", allowComputer = false, allowPhone = true }))
            .JsonAsync(HttpStatusCode.Created);
        var team = await (await admin.PostAsJsonAsync("/api/admin/teams", new { name = "North" })).JsonAsync(HttpStatusCode.Created);

        var added = await admin.PostAsJsonAsync("/api/admin/people",
            new { email = "Nina.New@Example.com", displayName = "Nina New", teamId = team.Str("id"), permissionGroupId = group.Str("id") });
        var duplicate = await admin.PostAsJsonAsync("/api/admin/people", new { email = "nina.new@example.com" });
        var nina = await server.SignedInWithEmailAsync("NINA.NEW@example.com", "oid-nina", org.OrgId, AppRoles.Rep);
        var me = await (await nina.GetAsync("/api/me")).JsonAsync(HttpStatusCode.OK);
        var everyone = (await (await admin.GetAsync("/api/admin/people")).JsonAsync(HttpStatusCode.OK)).Items();
        var audit = (await (await admin.GetAsync("/api/admin/audit")).JsonAsync(HttpStatusCode.OK)).Items().Select(e => e.Str("action")).ToList();

        var person = await added.JsonAsync(HttpStatusCode.Created);
        Assert.Equal(person.Str("version"), added.ETag());
        Assert.True(person.GetProperty("awaitingSignIn").GetBoolean());
        var problem = await duplicate.ProblemAsync(HttpStatusCode.Conflict, "email-taken");
        Assert.Equal("email", problem.Str("field"));
        var user = me.GetProperty("user");
        Assert.Equal(("oid-nina", "Nina New", team.Str("id"), group.Str("id")),
            (user.Str("id"), user.Str("displayName"), user.Str("teamId"), user.Str("permissionGroupId")));
        Assert.Equal(["oid-nina"], everyone.Select(p => p.Str("userId")));
        Assert.Contains("person.added", audit);
        Assert.Contains("person.claimed", audit);
        Assert.DoesNotContain("person.created", audit);
    }

    [Fact]
    public async Task AddPersonMadeTeamManager_ThenTheirFirstSignIn_TheyManageThatTeamAndTheHandOverIsAudited()
    {
        var org = await TestOrg.CreateAsync(server);
        var admin = await org.AdminAsync();
        var mia = await (await admin.PostAsJsonAsync("/api/admin/people", new { email = "mia.manager@example.com", displayName = "Mia Manager" }))
            .JsonAsync(HttpStatusCode.Created);
        var placeholderId = mia.Str("userId");
        var team = await (await admin.PostAsJsonAsync("/api/admin/teams", new { name = "West", managerUserIds = new[] { placeholderId } }))
            .JsonAsync(HttpStatusCode.Created);
        await (await admin.PostAsJsonAsync("/api/admin/people", new { email = "wes.rep@example.com", displayName = "Wes Rep", teamId = team.Str("id") }))
            .JsonAsync(HttpStatusCode.Created);

        var manager = await server.SignedInWithEmailAsync("mia.manager@example.com", "oid-mia", org.OrgId, AppRoles.Manager);
        await (await manager.GetAsync("/api/me")).JsonAsync(HttpStatusCode.OK);
        var managed = (await (await manager.GetAsync("/api/admin/teams")).JsonAsync(HttpStatusCode.OK)).Items();
        var theirPeople = (await (await manager.GetAsync("/api/admin/people")).JsonAsync(HttpStatusCode.OK)).Items();
        var stored = (await (await admin.GetAsync("/api/admin/teams")).JsonAsync(HttpStatusCode.OK)).Items().Single(t => t.Str("id") == team.Str("id"));
        var audit = (await (await admin.GetAsync("/api/admin/audit")).JsonAsync(HttpStatusCode.OK)).Items()
            .Where(e => e.Str("action") == "team.manager-claimed").ToList();

        Assert.StartsWith("added-", placeholderId);
        Assert.Equal(["oid-mia"], stored.Strings("managerUserIds"));
        Assert.Equal([team.Str("id")], managed.Select(t => t.Str("id")));
        Assert.Equal(["Wes Rep"], theirPeople.Select(p => p.Str("displayName")));
        var entry = Assert.Single(audit);
        Assert.Equal((team.Str("id"), "oid-mia"), (entry.Str("targetId"), entry.Str("actorUserId")));
    }

    [Fact]
    public async Task FirstSignIn_OrgDefaultsSet_JoinsTheDefaultGroupAndTheDefaultGroupCannotBeDeleted()
    {
        var org = await TestOrg.CreateAsync(server, computerCalling: true);
        var admin = await org.AdminAsync();
        var group = await (await admin.PostAsJsonAsync("/api/admin/permission-groups", new { name = "Starters", allowComputer = true, allowPhone = false }))
            .JsonAsync(HttpStatusCode.Created);

        var unknown = await admin.PatchAsync("/api/admin/org", new { defaultPermissionGroupId = "no-such-group" });
        var set = await admin.PatchAsync("/api/admin/org", new { defaultPermissionGroupId = group.Str("id"), defaultCallingPreference = "computer" });
        var rep = await server.SignedInClientAsync("fresh-rep", org.OrgId, AppRoles.Rep);
        var me = await (await rep.GetAsync("/api/me")).JsonAsync(HttpStatusCode.OK);
        var delete = await admin.DeleteAsync($"/api/admin/permission-groups/{group.Str("id")}");

        var invalid = await unknown.ProblemAsync(HttpStatusCode.BadRequest, "unknown-permission-group");
        Assert.Equal("defaultPermissionGroupId", invalid.Str("field"));
        Assert.Equal(group.Str("id"), (await set.JsonAsync(HttpStatusCode.OK)).Str("defaultPermissionGroupId"));
        Assert.Equal(group.Str("id"), me.GetProperty("user").Str("permissionGroupId"));
        Assert.Equal("computer", me.Str("callingPreference"));
        Assert.True(me.GetProperty("canPlaceCalls").GetProperty("computer").GetProperty("allowed").GetBoolean());
        await delete.ProblemAsync(HttpStatusCode.Conflict, "group-is-org-default");
    }

    [Fact]
    public async Task NoGroup_OrgDefaultComputer_CanMintATokenButNotCallByPhone()
    {
        var org = await TestOrg.CreateAsync(server, computerCalling: true);
        var admin = await org.AdminAsync();
        await (await admin.PatchAsync("/api/admin/org", new { defaultCallingPreference = "computer" })).JsonAsync(HttpStatusCode.OK);
        var rep = await server.SignedInClientAsync("groupless", org.OrgId, AppRoles.Rep);

        var me = await (await rep.GetAsync("/api/me")).JsonAsync(HttpStatusCode.OK);
        var token = await rep.PostAsync("/api/calls/token", null);
        var phoneCall = await rep.PostAsJsonAsync("/api/calls", new { to = "+15005550006" });

        Assert.False(me.GetProperty("user").TryGetProperty("permissionGroupId", out var groupId) && groupId.ValueKind != JsonValueKind.Null);
        Assert.True(me.GetProperty("canPlaceCalls").GetProperty("computer").GetProperty("allowed").GetBoolean());
        Assert.Equal(HttpStatusCode.OK, token.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, phoneCall.StatusCode);
    }
}
