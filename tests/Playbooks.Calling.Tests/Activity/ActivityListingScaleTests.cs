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

/// <summary>The call lists over many activities: pages in time order, each reading about a page of rows whatever the window.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class ActivityListingScaleTests(AzuriteStorage storage)
{
    private static readonly DateTimeOffset Now = ActivityListingIntegrationTests.Now;

    private readonly EntityCounter _read = new();

    [Theory]
    [InlineData(2_000)]
    public async Task ListAsync_ManyActivities_PagesInTimeOrderReadingAboutAPageEach(int count)
    {
        // Arrange: calls a few seconds to minutes apart by 100 reps, written with their index rows in batch transactions.
        var orgId = AzuriteStorage.NewOrgId();
        var calls = Enumerable.Range(0, count).Select(n => ActivityListingIntegrationTests.Call(orgId, n, Now.AddSeconds(-43 * n - 60))).ToList();
        await InsertListedAsync(orgId, calls);
        var (store, lists) = Counted();
        var admin = Callers.Admin(orgId);
        var newestFirst = calls.OrderByDescending(c => c.InitiatedAt).ThenBy(c => c.AgentCallSid, StringComparer.Ordinal).ToList();
        await store.EnsureListedAsync(orgId);

        // Act / Assert: the first pages of the whole history, as GET /api/admin/calls?from=2000-01-01 asks.
        string? token = null;
        var listed = new List<CallActivity>();
        for (var page = 0; page < 5; page++)
        {
            _read.Reset();
            var result = await lists.ListAsync(admin, new ActivityFilter(From: "2000-01-01"), new PageRequest(200, token));
            Assert.Equal(200, result.Value!.Items.Count);
            Assert.InRange(_read.Entities, 200, 201);
            listed.AddRange(result.Value.Items);
            token = result.Value.ContinuationToken;
        }
        Assert.Equal(newestFirst.Take(1000).Select(c => c.AgentCallSid), listed.Select(c => c.AgentCallSid));

        // A sparse filter (one rep's busy calls: 1 in 300) is applied by the query, so it reads only what it returns.
        _read.Reset();
        var busy = await lists.ListAsync(admin, new ActivityFilter(UserId: "rep-07", Outcome: "busy", From: "2000-01-01"), new PageRequest(50));
        var expectedBusy = newestFirst.Where(c => c is { UserId: "rep-07", Status: CallStatus.Busy }).Take(50).Select(c => c.AgentCallSid).ToList();
        Assert.NotEmpty(expectedBusy);
        Assert.Equal(expectedBusy, busy.Value!.Items.Select(c => c.AgentCallSid));
        Assert.InRange(_read.Entities, expectedBusy.Count, expectedBusy.Count + 1);

        // A manager of 40 reps: split into queries of at most 15 comparisons each, merged in time order, a page per query at most.
        var reps = Enumerable.Range(0, 40).Select(r => $"rep-{r:D2}").ToHashSet();
        _read.Reset();
        var team = await store.ListAsync(orgId, new ActivityQuery(Now.AddDays(-30), UserIds: reps), new PageRequest(100));
        Assert.Equal(newestFirst.Where(c => reps.Contains(c.UserId!)).Take(100).Select(c => c.AgentCallSid), team.Items.Select(c => c.AgentCallSid));
        Assert.InRange(_read.Entities, 100, 5 * 101);
    }

    /// <summary>On Azurite at the size that runs in about half a minute here; 50,000 is <see cref="ActivityListingFiftyThousandTests"/>.</summary>
    [Theory]
    [InlineData(4_000)]
    public async Task ListAsync_WholeHistory_PagedOnceInOrderReadingAPageEach(int count)
    {
        // Arrange: calls 43 s apart by 100 reps, with their index rows, 50 calls to a transaction.
        var orgId = AzuriteStorage.NewOrgId();
        var calls = Enumerable.Range(0, count).Select(n => ActivityListingIntegrationTests.Call(orgId, n, Now.AddSeconds(-43 * n - 60))).ToList();
        await InsertListedAsync(orgId, calls);
        var (store, lists) = Counted();
        var admin = Callers.Admin(orgId);
        await store.EnsureListedAsync(orgId);
        var newestFirst = calls.OrderByDescending(c => c.InitiatedAt).ThenBy(c => c.AgentCallSid, StringComparer.Ordinal)
            .Select(c => c.AgentCallSid).ToList();

        // Act: GET /api/admin/calls?from=2000-01-01 followed page by page to its end.
        string? token = null;
        var listed = new List<string>(count);
        var pages = 0;
        var mostReadByAPage = 0;
        do
        {
            _read.Reset();
            var result = await lists.ListAsync(admin, new ActivityFilter(From: "2000-01-01"), new PageRequest(PageRequest.MaxPageSize, token));
            mostReadByAPage = Math.Max(mostReadByAPage, _read.Entities);
            listed.AddRange(result.Value!.Items.Select(c => c.AgentCallSid));
            token = result.Value.ContinuationToken;
            pages++;
        }
        while (token is not null);

        // Assert: every call exactly once, newest first, and no page read more than a page of rows (plus the one that
        // says whether another page follows), however much history lies behind it.
        Assert.Equal(count / PageRequest.MaxPageSize, pages);
        Assert.Equal(newestFirst, listed);
        Assert.InRange(mostReadByAPage, PageRequest.MaxPageSize, PageRequest.MaxPageSize + 1);
    }

    /// <summary>Activity rows with their index rows, 50 calls to a transaction, as the store writes them.</summary>
    private async Task InsertListedAsync(string orgId, IReadOnlyList<CallActivity> calls)
    {
        var table = storage.Tables.GetTableClient(TableNames.Activities);
        await Parallel.ForEachAsync(calls.Chunk(50), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (chunk, ct) =>
            await table.SubmitTransactionAsync(chunk.SelectMany(c =>
            {
                var row = ActivityEntity.From(c, Now);
                var listed = ActivityListEntry.Of(row);
                row.ListedAs = listed.RowKey;
                return new[] { new TableTransactionAction(TableTransactionActionType.Add, row), new TableTransactionAction(TableTransactionActionType.Add, listed) };
            }), ct));
        await table.AddEntityAsync(new TableEntity(orgId, ActivityListEntry.BuiltRowKey));
    }

    /// <summary>A store and list service whose storage client counts the entities each response carries.</summary>
    private (ActivityStore Store, ActivityListService Lists) Counted()
    {
        var tables = AzuriteStorage.TablesWith(_read, HttpPipelinePosition.PerCall);
        var store = new ActivityStore(tables, TimeProvider.System);
        return (store, new ActivityListService(store, new ManagementScopes(new TeamStore(tables)), new Playbooks.Calling.People.PersonStore(tables), TimeProvider.System));
    }

    /// <summary>Counts the entities in table responses: a query's <c>value</c> array, or one for a point read.</summary>
    private sealed class EntityCounter : HttpPipelinePolicy
    {
        private int _entities;

        public int Entities => Volatile.Read(ref _entities);

        public void Reset() => Interlocked.Exchange(ref _entities, 0);

        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            ProcessNext(message, pipeline);
            Count(message);
        }

        public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            await ProcessNextAsync(message, pipeline);
            Count(message);
        }

        private void Count(HttpMessage message)
        {
            if (message.Request.Method != RequestMethod.Get || message.Response.Status != 200 || message.Response.Content is not { } content)
            {
                return;
            }
            using var json = JsonDocument.Parse(content.ToMemory());
            Interlocked.Add(ref _entities, json.RootElement.TryGetProperty("value", out var value) ? value.GetArrayLength() : 1);
        }
    }
}
