using System.Net;
using System.Net.Http.Json;
using Playbooks.Calling.Identity;
using Playbooks.DevServer.Tests.Http;

namespace Playbooks.DevServer.Tests.Teams;

[Collection(DevServerCollection.Name)]
public sealed class TeamWritesApiTests(DevServerFactory server)
{
    [Fact]
    public async Task Team_CreateRenameStaffDelete_RoundTripsWithETagsAndAuditsEveryChange()
    {
        var org = await TestOrg.CreateAsync(server);
        var admin = await org.AdminAsync();
        var managerClient = await server.SignedInClientAsync("boss-1", org.OrgId, AppRoles.Manager);
        await (await managerClient.GetAsync("/api/me")).JsonAsync(HttpStatusCode.OK);

        var created = await admin.PostAsJsonAsync("/api/admin/teams", new { name = "  North  " });
        var team = await created.JsonAsync(HttpStatusCode.Created);
        var id = team.Str("id");
        var renamed = await admin.PutAsync($"/api/admin/teams/{id}", new { name = "North East", managerUserIds = new[] { "boss-1" } }, created.ETag());
        var managedByBoss = await (await managerClient.GetAsync("/api/admin/teams")).JsonAsync(HttpStatusCode.OK);
        var deleted = await admin.SendAsync(HttpMethod.Delete, $"/api/admin/teams/{id}", ifMatch: renamed.ETag());
        var afterDelete = await (await admin.GetAsync("/api/admin/teams")).JsonAsync(HttpStatusCode.OK);
        var audit = (await (await admin.GetAsync("/api/admin/audit")).JsonAsync(HttpStatusCode.OK)).Items();

        Assert.Equal("North", team.Str("name"));
        Assert.Empty(team.Strings("managerUserIds"));
        Assert.Equal(team.Str("version"), created.ETag());
        var updated = await renamed.JsonAsync(HttpStatusCode.OK);
        Assert.Equal("North East", updated.Str("name"));
        Assert.Equal(["boss-1"], updated.Strings("managerUserIds"));
        Assert.NotEqual(created.ETag(), renamed.ETag());
        Assert.Equal([id], managedByBoss.Items().Select(t => t.Str("id")));
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Empty(afterDelete.Items());
        var teamEntries = audit.Where(e => e.Str("action").StartsWith("team.")).ToList();
        Assert.Equal(["team.deleted", "team.updated", "team.created"], teamEntries.Select(e => e.Str("action")));
        Assert.All(teamEntries, e => Assert.Equal("applied", e.Str("state")));
        Assert.Contains("boss-1", teamEntries[1].Str("after"));
    }

    [Fact]
    public async Task TeamWrites_RepAndManager_Return403AndChangeNothing()
    {
        var org = await TestOrg.CreateAsync(server);
        var admin = await org.AdminAsync();
        var id = (await (await admin.PostAsJsonAsync("/api/admin/teams", new { name = "Kept" })).JsonAsync(HttpStatusCode.Created)).Str("id");
        var rep = await org.RepAsync("rep-1");
        var manager = await server.SignedInClientAsync("manager-1", org.OrgId, AppRoles.Manager);

        foreach (var client in new[] { rep, manager })
        {
            await (await client.PostAsJsonAsync("/api/admin/teams", new { name = "Mine" })).ProblemAsync(HttpStatusCode.Forbidden, "role-required");
            await (await client.PutAsync($"/api/admin/teams/{id}", new { name = "Mine", managerUserIds = Array.Empty<string>() })).ProblemAsync(HttpStatusCode.Forbidden, "role-required");
            await (await client.DeleteAsync($"/api/admin/teams/{id}")).ProblemAsync(HttpStatusCode.Forbidden, "role-required");
        }

        var teams = await (await admin.GetAsync("/api/admin/teams")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(["Kept"], teams.Items().Select(t => t.Str("name")));
    }

    [Fact]
    public async Task TeamWrites_TeamOfAnotherOrg_Return404AndLeaveItAlone()
    {
        var outsider = await (await TestOrg.CreateAsync(server)).AdminAsync();
        var demoAdmin = await server.SignedInClientAsync("admin");

        var put = await outsider.PutAsync("/api/admin/teams/east", new { name = "Taken", managerUserIds = Array.Empty<string>() });
        var delete = await outsider.DeleteAsync("/api/admin/teams/west");
        var demoTeams = await (await demoAdmin.GetAsync("/api/admin/teams")).JsonAsync(HttpStatusCode.OK);

        await put.ProblemAsync(HttpStatusCode.NotFound, "not-found");
        await delete.ProblemAsync(HttpStatusCode.NotFound, "not-found");
        Assert.Equal(["East", "West"], demoTeams.Items().Select(t => t.Str("name")).Order());
    }

    [Fact]
    public async Task CreateTeam_ManagerFromAnotherOrg_Returns400NamingManagerUserIds()
    {
        var admin = await (await TestOrg.CreateAsync(server)).AdminAsync();

        // "manager" is a person of the demo org, not of this one.
        var response = await admin.PostAsJsonAsync("/api/admin/teams", new { name = "North", managerUserIds = new[] { "manager" } });

        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest, "unknown-manager");
        Assert.Equal("managerUserIds", problem.Str("field"));
    }

    [Fact]
    public async Task PutTeam_SameETagTwice_SecondReturns412AndKeepsTheFirstEdit()
    {
        var admin = await (await TestOrg.CreateAsync(server)).AdminAsync();
        var created = await admin.PostAsJsonAsync("/api/admin/teams", new { name = "North" });
        var id = (await created.JsonAsync(HttpStatusCode.Created)).Str("id");

        var first = await admin.PutAsync($"/api/admin/teams/{id}", new { name = "First", managerUserIds = Array.Empty<string>() }, created.ETag());
        var second = await admin.PutAsync($"/api/admin/teams/{id}", new { name = "Second", managerUserIds = Array.Empty<string>() }, created.ETag());
        var staleDelete = await admin.SendAsync(HttpMethod.Delete, $"/api/admin/teams/{id}", ifMatch: created.ETag());

        await first.JsonAsync(HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.PreconditionFailed, second.StatusCode);
        Assert.Equal(HttpStatusCode.PreconditionFailed, staleDelete.StatusCode);
        var teams = await (await admin.GetAsync("/api/admin/teams")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(["First"], teams.Items().Select(t => t.Str("name")));
    }

    [Fact]
    public async Task DeleteTeam_WithMembers_Returns409NamingTheMemberCount()
    {
        var org = await TestOrg.CreateAsync(server);
        await org.RepAsync("rep-1");
        await org.RepAsync("rep-2");
        var admin = await org.AdminAsync();
        var id = (await (await admin.PostAsJsonAsync("/api/admin/teams", new { name = "Busy" })).JsonAsync(HttpStatusCode.Created)).Str("id");
        foreach (var rep in new[] { "rep-1", "rep-2" })
        {
            await (await admin.PatchAsync($"/api/admin/people/{rep}", new { teamId = id })).JsonAsync(HttpStatusCode.OK);
        }

        var response = await admin.DeleteAsync($"/api/admin/teams/{id}");

        var problem = await response.ProblemAsync(HttpStatusCode.Conflict, "team-has-members");
        Assert.Equal(2, problem.GetProperty("memberCount").GetInt32());
        Assert.Contains("2 members", problem.Str("detail"));
        var people = await (await admin.GetAsync($"/api/admin/teams/{id}/people")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(2, people.Items().Count);
    }

    [Fact]
    public async Task PatchPerson_UnknownTeamId_Returns400NamingTeamId()
    {
        var org = await TestOrg.CreateAsync(server);
        await org.RepAsync("rep-1");
        var admin = await org.AdminAsync();

        var response = await admin.PatchAsync("/api/admin/people/rep-1", new { teamId = "east" });

        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest, "unknown-team");
        Assert.Equal("teamId", problem.Str("field"));
    }

    [Theory]
    [InlineData("""{"managerUserIds":[]}""", "name")]
    [InlineData("""{"name":"","managerUserIds":[]}""", "name")]
    [InlineData("""{"name":"Ok","managerUserIds":[null]}""", "managerUserIds")]
    [InlineData("""{"name":"Ok","managerUserIds":"boss"}""", "managerUserIds")]
    [InlineData("""{"name":"Ok","members":[]}""", "members")]
    public async Task CreateTeam_BadBody_Returns400NamingTheField(string json, string field)
    {
        var admin = await (await TestOrg.CreateAsync(server)).AdminAsync();

        var response = await admin.SendAsync(HttpMethod.Post, "/api/admin/teams", json);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(field, (await response.JsonAsync(HttpStatusCode.BadRequest)).Str("field"));
    }

    [Fact]
    public async Task PutTeam_WithoutManagerUserIds_Returns400NamingManagerUserIds()
    {
        var admin = await (await TestOrg.CreateAsync(server)).AdminAsync();
        var id = (await (await admin.PostAsJsonAsync("/api/admin/teams", new { name = "North" })).JsonAsync(HttpStatusCode.Created)).Str("id");

        var response = await admin.PutAsync($"/api/admin/teams/{id}", new { name = "South" });

        Assert.Equal("managerUserIds", (await response.ProblemAsync(HttpStatusCode.BadRequest, "invalid-field")).Str("field"));
    }
}
