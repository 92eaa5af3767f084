using Playbooks.Calling.Storage;
using Playbooks.Calling.Tests.OrgDirectory;

namespace Playbooks.Calling.Tests.Teams;

[Collection(AzuriteCollection.Name)]
public class TeamsIntegrationTests(AzuriteStorage storage)
{
    private readonly DirectoryHarness directory = new(storage.Tables);

    [Fact]
    public async Task GetAndListPeople_TeamFromAnotherOrg_Returns404()
    {
        var orgA = await directory.NewOrgAsync();
        var orgB = await directory.NewOrgAsync();
        await directory.TeamAsync(orgA, "east");
        await directory.PersonAsync(orgA, "rep-a", teamId: "east");

        var get = await directory.TeamsService.GetAsync(Callers.Admin(orgB), "east");
        var people = await directory.TeamsService.ListPeopleAsync(Callers.Admin(orgB), "east", PageRequest.First);

        Assert.Equal(FailureKind.NotFound, get.Failure!.Kind);
        Assert.Equal(FailureKind.NotFound, people.Failure!.Kind);
    }

    [Fact]
    public async Task List_Manager_SeesOnlyTeamsTheyManage()
    {
        var orgId = await directory.NewOrgAsync();
        await directory.TeamAsync(orgId, "east", "manager-1");
        await directory.TeamAsync(orgId, "north", "someone-else", "manager-1");
        await directory.TeamAsync(orgId, "west", "someone-else");

        var managed = await directory.TeamsService.ListAsync(Callers.Manager(orgId), PageRequest.First);
        var all = await directory.TeamsService.ListAsync(Callers.Admin(orgId), PageRequest.First);
        var unmanaged = await directory.TeamsService.ListPeopleAsync(Callers.Manager(orgId), "west", PageRequest.First);

        Assert.Equal(["east", "north"], managed.Value!.Items.Select(t => t.Id));
        Assert.Equal(3, all.Value!.Items.Count);
        Assert.Equal(FailureKind.NotFound, unmanaged.Failure!.Kind);
    }

    [Fact]
    public async Task ListPeople_OneTeam_ReturnsOnlyItsPeople()
    {
        var orgId = await directory.NewOrgAsync();
        await directory.TeamAsync(orgId, "east", "manager-1");
        await directory.TeamAsync(orgId, "west");
        await directory.PersonAsync(orgId, "e1", teamId: "east");
        await directory.PersonAsync(orgId, "e2", teamId: "east");
        await directory.PersonAsync(orgId, "w1", teamId: "west");

        var page = await directory.TeamsService.ListPeopleAsync(Callers.Manager(orgId), "east", PageRequest.First);

        Assert.Equal(["e1", "e2"], page.Value!.Items.Select(p => p.UserId));
    }
}
