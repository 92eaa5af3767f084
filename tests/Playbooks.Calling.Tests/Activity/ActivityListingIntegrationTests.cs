using System.Text.Json;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Playbooks.Calling.Activity;
using Playbooks.Calling.Orgs;
using Playbooks.Calling.Storage;
using Playbooks.Calling.Teams;
using Playbooks.Calling.Tests.OrgDirectory;

namespace Playbooks.Calling.Tests.Activity;

/// <summary>The call lists page through the activities' time index: in time order, a page at a time, whatever the window.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class ActivityListingIntegrationTests(AzuriteStorage storage)
{
    internal static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;
    private static readonly CallStatus[] Endings = [CallStatus.Completed, CallStatus.Busy, CallStatus.NoAnswer];

    [Fact]
    public async Task ListAsync_ActivitiesFromBeforeTheIndex_ListedOnceThenFollowTheirCallTime()
    {
        // Arrange: 120 rows as they were stored before the time index existed.
        var orgId = AzuriteStorage.NewOrgId();
        var calls = Enumerable.Range(0, 120).Select(n => Call(orgId, n, Now.AddMinutes(-n - 10))).ToList();
        var table = storage.Tables.GetTableClient(TableNames.Activities);
        foreach (var chunk in calls.Chunk(100))
        {
            await table.SubmitTransactionAsync(chunk.Select(c => new TableTransactionAction(TableTransactionActionType.Add, ActivityEntity.From(c, Now))));
        }
        var store = new ActivityStore(storage.Tables, TimeProvider.System);
        var lists = new ActivityListService(store, new ManagementScopes(new TeamStore(storage.Tables)), new Playbooks.Calling.People.PersonStore(storage.Tables), TimeProvider.System);
        var admin = Callers.Admin(orgId);

        // Act: every page, then the newest call learns an earlier start (an out-of-order event) and moves to the end.
        var all = await AllPagesAsync(lists, admin, 50);
        var moved = calls[0];
        await store.UpdateAsync(moved.Key, a => a! with { InitiatedAt = Now.AddDays(-1) });
        var after = await AllPagesAsync(lists, admin, 50);

        // Assert
        Assert.Equal(calls.Select(c => c.AgentCallSid), all.Select(c => c.AgentCallSid));
        Assert.Equal([.. calls.Skip(1).Select(c => c.AgentCallSid), moved.AgentCallSid], after.Select(c => c.AgentCallSid));
        var oldListing = ActivityListEntry.KeyOf(moved.InitiatedAt!.Value, moved.AgentCallSid);
        Assert.False((await table.GetEntityIfExistsAsync<TableEntity>(orgId, oldListing)).HasValue);
        // An index row is never taken for an activity, whatever key a request names.
        Assert.Null(await store.GetAsync(new ActivityKey(orgId, ActivityListEntry.KeyOf(Now.AddDays(-1), moved.AgentCallSid))));
    }

    private static async Task<List<CallActivity>> AllPagesAsync(ActivityListService lists, Identity.Caller admin, int pageSize)
    {
        var all = new List<CallActivity>();
        string? token = null;
        do
        {
            var page = (await lists.ListAsync(admin, new ActivityFilter(), new PageRequest(pageSize, token))).Value!;
            Assert.InRange(page.Items.Count, 0, pageSize);
            all.AddRange(page.Items);
            token = page.ContinuationToken;
        }
        while (token is not null);
        return all;
    }

    internal static CallActivity Call(string orgId, int n, DateTimeOffset at) => new()
    {
        OrgId = orgId,
        AgentCallSid = "CA" + n.ToString("x32"),
        UserId = $"rep-{n % 100:D2}",
        Method = n % 2 == 0 ? CallingMethod.Computer : CallingMethod.Phone,
        Status = Endings[n % 3],
        InitiatedAt = at,
        EndedAt = at.AddSeconds(30),
    };
}
