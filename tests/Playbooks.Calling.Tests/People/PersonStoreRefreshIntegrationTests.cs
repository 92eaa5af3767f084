using System.Collections.Concurrent;
using Azure.Core;
using Azure.Core.Pipeline;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Playbooks.Calling.People;
using Playbooks.Calling.Storage;

namespace Playbooks.Calling.Tests.People;

/// <summary>The people an instance keeps, refreshed over Azurite: many reps of one org cost one query, not a read each.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class PersonStoreRefreshIntegrationTests(AzuriteStorage storage)
{
    [Fact]
    public async Task Get_ManyRepsOfAnOrgServedInTheirSecondHalfLife_RefreshesThemWithOneQueryAndSeesAnotherInstancesWrite()
    {
        // Arrange: twelve reps of a fresh org, read once through this instance's cache
        var orgId = AzuriteStorage.NewOrgId();
        var writer = new PersonStore(storage.Tables);
        var userIds = Enumerable.Range(0, 12).Select(i => $"rep-{i:D2}").ToArray();
        foreach (var userId in userIds)
        {
            await writer.UpsertAsync(new Person { OrgId = orgId, UserId = userId, DisplayName = "Before", PermissionGroupId = "callers" });
        }

        var calls = new CallKinds();
        var tables = AzuriteStorage.TablesWith(calls, HttpPipelinePosition.PerCall);
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var cache = new DirectoryCache(new MemoryCache(new MemoryCacheOptions()), Options.Create(new DirectoryCacheOptions()), time);
        var people = new PersonStore(tables, cache);
        using var recent = DirectoryCache.ServeRecentReads();
        foreach (var userId in userIds) await people.GetAsync(orgId, userId);
        var firstReads = calls.Snapshot();

        // Another instance moves one rep to another group.
        await writer.UpsertAsync(new Person { OrgId = orgId, UserId = "rep-05", DisplayName = "After", PermissionGroupId = "no-callers" });
        time.Advance(TimeSpan.FromSeconds(3));

        // Act: every rep places a call; then the refresh runs
        var served = new List<string?>();
        foreach (var userId in userIds) served.Add((await people.GetAsync(orgId, userId))?.PermissionGroupId);
        Person? moved = null;
        for (var i = 0; i < 500 && moved?.PermissionGroupId != "no-callers"; i++)
        {
            time.Advance(DirectoryCache.PartitionRefreshWindow);
            await Task.Delay(10);
            moved = await people.GetAsync(orgId, "rep-05");
        }

        // Assert: served from the cache at once, then one query of the org's people replaced every kept rep
        Assert.Equal(userIds.Length, firstReads.GetValueOrDefault("point read"));
        Assert.All(served, group => Assert.Equal("callers", group));
        Assert.Equal(("no-callers", "After"), (moved?.PermissionGroupId, moved?.DisplayName));
        var refresh = calls.Snapshot();
        Assert.Equal((userIds.Length, 1), (refresh.GetValueOrDefault("point read"), refresh.GetValueOrDefault("query")));
    }

    /// <summary>Counts People round trips: point reads and queries.</summary>
    private sealed class CallKinds : HttpPipelineSynchronousPolicy
    {
        private readonly ConcurrentDictionary<string, int> _calls = new();

        public Dictionary<string, int> Snapshot() => new(_calls);

        public override void OnSendingRequest(HttpMessage message)
        {
            var path = Uri.UnescapeDataString(message.Request.Uri.Path);
            if (message.Request.Method != RequestMethod.Get || !path.Contains("/People(", StringComparison.Ordinal)) return;
            _calls.AddOrUpdate(path.Contains("PartitionKey=", StringComparison.Ordinal) ? "point read" : "query", 1, (_, n) => n + 1);
        }
    }
}
