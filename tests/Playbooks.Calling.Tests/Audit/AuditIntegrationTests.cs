using Playbooks.Calling.PermissionGroups;
using Playbooks.Calling.Storage;
using Playbooks.Calling.Tests.OrgDirectory;

namespace Playbooks.Calling.Tests.Audit;

[Collection(AzuriteCollection.Name)]
public class AuditIntegrationTests(AzuriteStorage storage)
{
    private readonly DirectoryHarness directory = new(storage.Tables);

    [Fact]
    public async Task List_SeveralChanges_NewestFirstAcrossPages()
    {
        // Arrange
        var orgId = await directory.NewOrgAsync();
        var admin = Callers.Admin(orgId);
        var group = (await directory.GroupService.CreateAsync(admin, new PermissionGroupInput("One", true, true))).Value!;
        await directory.GroupService.UpdateAsync(admin, group.Id, new PermissionGroupInput("Two", true, true), null);
        await directory.GroupService.DeleteAsync(admin, group.Id, null);

        // Act
        var first = await directory.Audit.ListAsync(admin, new PageRequest(2));
        var second = await directory.Audit.ListAsync(admin, new PageRequest(2, first.Value!.ContinuationToken));

        // Assert
        Assert.Equal(["permission-group.deleted", "permission-group.updated"], first.Value.Items.Select(e => e.Action));
        Assert.Equal(["permission-group.created"], second.Value!.Items.Select(e => e.Action));
        Assert.Null(second.Value.ContinuationToken);
        var updated = first.Value.Items[1];
        Assert.Equal("admin-1", updated.ActorUserId);
        Assert.Contains("\"name\":\"One\"", updated.Before);
        Assert.Contains("\"name\":\"Two\"", updated.After);
        Assert.True(first.Value.Items[0].At >= updated.At);
    }

    [Fact]
    public async Task List_AdminOfAnotherOrg_SeesNoneOfTheseEntries()
    {
        var orgA = await directory.NewOrgAsync();
        var orgB = await directory.NewOrgAsync();
        await directory.GroupService.CreateAsync(Callers.Admin(orgA), new PermissionGroupInput("A only", true, true));

        var result = await directory.Audit.ListAsync(Callers.Admin(orgB), PageRequest.First);

        Assert.Empty(result.Value!.Items);
    }
}
