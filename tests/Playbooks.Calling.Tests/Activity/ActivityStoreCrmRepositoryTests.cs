using Playbooks.Calling.Activity;
using Playbooks.Calling.Crm;
using Playbooks.Calling.Tests.OrgDirectory;

namespace Playbooks.Calling.Tests.Activity;

/// <summary>The activity store as the CRM sync sees it: listed by sync state, replaced only at the version read.</summary>
[Collection(AzuriteCollection.Name)]
public class ActivityStoreCrmRepositoryTests(AzuriteStorage storage)
{
    private readonly ActivityStore store = new(storage.Tables, TimeProvider.System);

    private IActivityRepository Repository => store;

    [Fact]
    public async Task ListByCrmSync_EndedCall_ListedAsPendingUntilMarkedSynced()
    {
        var key = await SaveCompletedCallAsync();

        var pending = await Repository.ListByCrmSyncAsync(key.OrgId, CrmSyncState.Pending, 10, default);
        var stored = Assert.Single(pending);
        var version = await Repository.TryReplaceAsync(stored.Activity.MarkCrmSynced(), stored.Version, default);

        Assert.NotNull(version);
        Assert.Empty(await Repository.ListByCrmSyncAsync(key.OrgId, CrmSyncState.Pending, 10, default));
        var synced = Assert.Single(await Repository.ListByCrmSyncAsync(key.OrgId, CrmSyncState.Synced, 10, default));
        Assert.Equal(version, synced.Version);
        Assert.Equal(CrmSyncState.Synced, (await store.GetAsync(key))!.CrmSync);
    }

    [Fact]
    public async Task TryReplace_ActivityChangedSinceRead_ReturnsNullAndKeepsTheNewerActivity()
    {
        var key = await SaveCompletedCallAsync();
        var stored = (await Repository.GetAsync(key, default))!;
        var disposition = CallEventMessage.ForDisposition(key.OrgId, key.AgentCallSid, CallEvents.UserId, "meeting-booked", "Tuesday 10am", CallEvents.Start.AddMinutes(5), CallEvents.Start.AddMinutes(5));
        await store.UpdateAsync(key, a => ActivityMerger.Merge(a, disposition));

        var version = await Repository.TryReplaceAsync(stored.Activity.MarkCrmSynced(), stored.Version, default);

        Assert.Null(version);
        var current = (await store.GetAsync(key))!;
        Assert.Equal("meeting-booked", current.Disposition);
        Assert.Equal(CrmSyncState.Pending, current.CrmSync);
    }

    private async Task<ActivityKey> SaveCompletedCallAsync()
    {
        var events = new CallEvents();
        var history = Rekeyed.Call(
            [events.Status(CallStatus.Initiated, 0, 0), events.Status(CallStatus.InProgress, 2, 5), events.Status(CallStatus.Completed, 3, 65, duration: 60)],
            AzuriteStorage.NewOrgId(), 1);
        var key = ActivityKey.Of(history[0])!.Value;
        foreach (var e in history)
        {
            await store.UpdateAsync(key, a => ActivityMerger.Merge(a, e));
        }

        return key;
    }
}
