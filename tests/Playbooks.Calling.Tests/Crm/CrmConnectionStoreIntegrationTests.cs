using Playbooks.Calling.Crm;

namespace Playbooks.Calling.Tests.Crm;

[Collection(AzuriteCollection.Name)]
public sealed class CrmConnectionStoreIntegrationTests(AzuriteStorage storage)
{
    private readonly CrmConnectionStore _store = new(storage.Tables);

    [Fact]
    public async Task SaveAsync_FirstThenStaleVersion_SecondEditRefused()
    {
        var orgId = AzuriteStorage.NewOrgId();
        var connection = CrmTestKit.Dynamics(orgId, "https://acme.crm.dynamics.com");

        var first = await _store.SaveAsync(connection, null);
        var again = await _store.SaveAsync(connection, null);
        var edited = await _store.SaveAsync(connection with { ClientId = "rotated" }, first.Value!.Version);
        var stale = await _store.SaveAsync(connection, first.Value.Version);

        Assert.Equal(FailureKind.PreconditionFailed, again.Failure!.Kind);
        Assert.True(edited.IsSuccess);
        Assert.Equal(FailureKind.PreconditionFailed, stale.Failure!.Kind);
        Assert.Equal(edited.Value, await _store.GetAsync(orgId));
    }

    [Fact]
    public async Task ListConfiguredAsync_OrgSetBackToNone_NotListed()
    {
        var on = AzuriteStorage.NewOrgId();
        var off = AzuriteStorage.NewOrgId();
        await _store.SaveAsync(CrmTestKit.Salesforce(on, "https://on.my.salesforce.com"), null);
        var saved = await _store.SaveAsync(CrmTestKit.Salesforce(off, "https://off.my.salesforce.com"), null);
        await _store.SaveAsync(CrmConnection.NoneFor(off), saved.Value!.Version);

        var listed = (await _store.ListConfiguredAsync()).Select(c => c.OrgId).ToList();

        Assert.Contains(on, listed);
        Assert.DoesNotContain(off, listed);
        Assert.Equal(CrmProvider.None, (await _store.GetAsync(AzuriteStorage.NewOrgId())).Provider);
    }
}
