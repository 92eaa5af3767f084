using Playbooks.Calling.Crm;

namespace Playbooks.Calling.Tests.Crm;

[Collection(AzuriteCollection.Name)]
public sealed class CrmSyncWarningsIntegrationTests(AzuriteStorage storage)
{
    private readonly CrmSyncWarnings _warnings = new(storage.Tables, new FakeTimeProvider(CrmTestKit.Start));
    private readonly CrmConnectionStore _connections = new(storage.Tables);

    [Fact]
    public async Task RecordAsync_ThenList_ShowsTheCallBesideTheOrgsSettingWithoutDisturbingIt()
    {
        var orgId = AzuriteStorage.NewOrgId();
        await _connections.SaveAsync(CrmTestKit.Salesforce(orgId, "https://acme.my.salesforce.com"), null);
        var activity = CrmTestKit.Ended(orgId, CrmTestKit.Sid(1), crmWhoId: "003000000000009AAA");

        await _warnings.RecordAsync(activity, CrmWhoCheck.NotLinked("003000000000009AAA"), CancellationToken.None);
        await _warnings.RecordAsync(activity, CrmWhoCheck.NotLinked("003000000000009AAA"), CancellationToken.None);

        var warning = Assert.Single(await _warnings.ListAsync(orgId, 200, CancellationToken.None));
        Assert.Equal((CrmTestKit.Sid(1), "rep-1", "+15005550006", activity.EndedAt, "warning"),
            (warning.CallSid, warning.UserId, warning.ProspectNumber, warning.EndedAt, warning.Kind));
        Assert.Equal(CrmProvider.Salesforce, (await _connections.GetAsync(orgId)).Provider);
        Assert.Single(await _connections.ListConfiguredAsync(), c => c.OrgId == orgId);
    }

    [Fact]
    public async Task ClearAsync_RecordedOrNot_LeavesNoWarning()
    {
        var orgId = AzuriteStorage.NewOrgId();
        var warned = CrmTestKit.Ended(orgId, CrmTestKit.Sid(1), crmWhoId: "003000000000009AAA");
        await _warnings.RecordAsync(warned, "left out", CancellationToken.None);

        await _warnings.ClearAsync(warned.Key, CancellationToken.None);
        await _warnings.ClearAsync(CrmTestKit.Ended(orgId, CrmTestKit.Sid(2)).Key, CancellationToken.None);

        Assert.Empty(await _warnings.ListAsync(orgId, 200, CancellationToken.None));
    }

    [Fact]
    public async Task ListAsync_OtherOrgsWarnings_NotShown()
    {
        var orgId = AzuriteStorage.NewOrgId();
        await _warnings.RecordAsync(CrmTestKit.Ended(AzuriteStorage.NewOrgId(), CrmTestKit.Sid(1)), "someone else's", CancellationToken.None);

        Assert.Empty(await _warnings.ListAsync(orgId, 200, CancellationToken.None));
    }
}
