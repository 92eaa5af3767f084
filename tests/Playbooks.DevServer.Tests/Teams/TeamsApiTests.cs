using System.Net;
using Playbooks.DevServer.Tests.Http;

namespace Playbooks.DevServer.Tests.Teams;

[Collection(DevServerCollection.Name)]
public sealed class TeamsApiTests(DevServerFactory server)
{
    [Fact]
    public async Task ListTeams_Admin_SeesEveryTeam_ManagerOnlyTheirs()
    {
        var admin = await server.SignedInClientAsync("admin");
        var manager = await server.SignedInClientAsync("manager");

        var all = await (await admin.GetAsync("/api/admin/teams")).JsonAsync(HttpStatusCode.OK);
        var managed = await (await manager.GetAsync("/api/admin/teams")).JsonAsync(HttpStatusCode.OK);

        Assert.Equal(["east", "west"], all.Items().Select(t => t.Str("id")).Order());
        Assert.Equal(["east"], managed.Items().Select(t => t.Str("id")));
    }

    [Fact]
    public async Task ListTeamPeople_ManagersTeam_ListsItsPeopleWithVersions()
    {
        var manager = await server.SignedInClientAsync("manager");

        var page = await (await manager.GetAsync("/api/admin/teams/east/people")).JsonAsync(HttpStatusCode.OK);

        Assert.Superset(new HashSet<string> { "rep-both", "rep-phone", "manager" }, page.Items().Select(p => p.Str("userId")).ToHashSet());
        Assert.All(page.Items(), p => Assert.Equal("east", p.Str("teamId")));
        Assert.All(page.Items(), p => Assert.StartsWith("W/", p.Str("version")));
    }

    [Fact]
    public async Task ListTeamPeople_TeamTheManagerDoesNotManage_Returns404()
    {
        var manager = await server.SignedInClientAsync("manager");

        var response = await manager.GetAsync("/api/admin/teams/west/people");

        await response.ProblemAsync(HttpStatusCode.NotFound, "not-found");
    }

    [Fact]
    public async Task Teams_Rep_Returns403()
    {
        var rep = await server.SignedInClientAsync("rep-phone");

        var teams = await rep.GetAsync("/api/admin/teams");
        var people = await rep.GetAsync("/api/admin/teams/east/people");

        await teams.ProblemAsync(HttpStatusCode.Forbidden, "role-required");
        await people.ProblemAsync(HttpStatusCode.Forbidden, "role-required");
    }

    [Fact]
    public async Task Teams_AdminOfAnotherOrg_Gets404ForDemoTeamAndSeesNoDemoTeams()
    {
        var outsider = await server.SignedInClientAsync("admin-x", "other-org-teams", "Admin");

        var people = await outsider.GetAsync("/api/admin/teams/east/people");
        var teams = await (await outsider.GetAsync("/api/admin/teams")).JsonAsync(HttpStatusCode.OK);

        await people.ProblemAsync(HttpStatusCode.NotFound, "not-found");
        Assert.Empty(teams.Items());
    }

    [Fact]
    public async Task ListTeams_PageSizeTooLarge_Returns400NamingPageSize()
    {
        var admin = await server.SignedInClientAsync("admin");

        var response = await admin.GetAsync("/api/admin/teams?pageSize=1000");

        Assert.Equal("pageSize", (await response.ProblemAsync(HttpStatusCode.BadRequest, "invalid-field")).Str("field"));
    }
}
