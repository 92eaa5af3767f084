using Playbooks.Calling.PermissionGroups;
using Playbooks.Calling.Storage;
using Playbooks.Calling.Tests.OrgDirectory;

namespace Playbooks.Calling.Tests.PermissionGroups;

[Collection(AzuriteCollection.Name)]
public class PermissionGroupIntegrationTests(AzuriteStorage storage)
{
    private readonly DirectoryHarness directory = new(storage.Tables);

    [Fact]
    public async Task GetUpdateDelete_GroupFromAnotherOrg_Returns404AndLeavesItAlone()
    {
        var orgA = await directory.NewOrgAsync();
        var orgB = await directory.NewOrgAsync();
        var group = (await directory.GroupService.CreateAsync(Callers.Admin(orgA), new PermissionGroupInput("Secret", true, true))).Value!;
        var intruder = Callers.Admin(orgB);

        var get = await directory.GroupService.GetAsync(intruder, group.Id);
        var update = await directory.GroupService.UpdateAsync(intruder, group.Id, new PermissionGroupInput("Mine", false, false), null);
        var delete = await directory.GroupService.DeleteAsync(intruder, group.Id, null);

        Assert.Equal(FailureKind.NotFound, get.Failure!.Kind);
        Assert.Equal(FailureKind.NotFound, update.Failure!.Kind);
        Assert.Equal(FailureKind.NotFound, delete.Failure!.Kind);
        Assert.Equal("Secret", (await directory.Groups.GetAsync(orgA, group.Id))!.Name);
    }

    [Fact]
    public async Task Update_TwoEditsWithSameVersion_SecondGetsPreconditionFailed()
    {
        var orgId = await directory.NewOrgAsync();
        var admin = Callers.Admin(orgId);
        var group = (await directory.GroupService.CreateAsync(admin, new PermissionGroupInput("Reps", false, true))).Value!;

        var first = await directory.GroupService.UpdateAsync(admin, group.Id, new PermissionGroupInput("Reps", true, true), group.Version);
        var second = await directory.GroupService.UpdateAsync(admin, group.Id, new PermissionGroupInput("Reps", false, false), group.Version);

        Assert.True(first.IsSuccess);
        Assert.Equal(FailureKind.PreconditionFailed, second.Failure!.Kind);
        Assert.Equal("stale-edit", second.Failure.Code);
        var stored = (await directory.Groups.GetAsync(orgId, group.Id))!;
        Assert.True(stored.AllowComputer && stored.AllowPhone);
    }

    [Fact]
    public async Task Delete_GroupWithMembers_Returns409WithCountAndKeepsGroup()
    {
        var orgId = await directory.NewOrgAsync();
        var admin = Callers.Admin(orgId);
        var group = (await directory.GroupService.CreateAsync(admin, new PermissionGroupInput("Busy", true, true))).Value!;
        await directory.PersonAsync(orgId, "p1", groupId: group.Id);
        await directory.PersonAsync(orgId, "p2", groupId: group.Id);
        await directory.PersonAsync(orgId, "p3", groupId: "elsewhere");

        var result = await directory.GroupService.DeleteAsync(admin, group.Id, null);

        Assert.Equal("group-has-members", result.Failure!.Code);
        Assert.Equal(2, result.Failure.Extensions!["memberCount"]);
        Assert.NotNull(await directory.Groups.GetAsync(orgId, group.Id));
    }

    [Fact]
    public async Task Delete_EmptyGroupWithStaleVersion_Returns412ThenCurrentVersionDeletes()
    {
        var orgId = await directory.NewOrgAsync();
        var admin = Callers.Admin(orgId);
        var group = (await directory.GroupService.CreateAsync(admin, new PermissionGroupInput("Old", true, true))).Value!;
        await directory.GroupService.UpdateAsync(admin, group.Id, new PermissionGroupInput("Renamed", true, true), null);

        var stale = await directory.GroupService.DeleteAsync(admin, group.Id, group.Version);
        var current = await directory.GroupService.DeleteAsync(admin, group.Id, null);

        Assert.Equal(FailureKind.PreconditionFailed, stale.Failure!.Kind);
        Assert.True(current.IsSuccess);
        Assert.Null(await directory.Groups.GetAsync(orgId, group.Id));
    }

    [Fact]
    public async Task List_PagesOfOne_ReturnEveryGroupOnlyFromOwnOrg()
    {
        var orgId = await directory.NewOrgAsync();
        var otherOrg = await directory.NewOrgAsync();
        await directory.GroupAsync(otherOrg, "theirs", true, true);
        foreach (var name in new[] { "A", "B", "C" })
        {
            await directory.GroupService.CreateAsync(Callers.Manager(orgId), new PermissionGroupInput(name, true, true));
        }

        var names = new List<string>();
        string? token = null;
        do
        {
            var page = await directory.GroupService.ListAsync(Callers.Admin(orgId), new PageRequest(1, token));
            names.AddRange(page.Value!.Items.Select(g => g.Name));
            token = page.Value.ContinuationToken;
        }
        while (token is not null);

        Assert.Equal(["A", "B", "C"], names.Order());
    }
}
