using CsCheck;
using Microsoft.Extensions.Logging.Abstractions;
using Moq;
using Playbooks.Calling.Activity;
using Playbooks.Calling.CallEvents;
using Playbooks.Calling.Orgs;
using Playbooks.Calling.Storage;
using Playbooks.Calling.Tests.OrgDirectory;

namespace Playbooks.Calling.Tests.Activity;

[Collection(AzuriteCollection.Name)]
public class ActivityStoreIntegrationTests(AzuriteStorage storage)
{
    private readonly ActivityStore store = new(storage.Tables, TimeProvider.System);
    private readonly DirectoryHarness directory = new(storage.Tables);

    private ActivityService Writer() => new(store, new NoActivityObserver());

    private ActivityListService Lists() => new(store, new Playbooks.Calling.Teams.ManagementScopes(directory.Teams), directory.People, TimeProvider.System);

    [Fact]
    public async Task UpdateAsync_ParallelMergesOfOneCallsEvents_SameActivityAsInOrder()
    {
        // Arrange: random histories, each delivered shuffled with duplicates, all events of a call written at once.
        var orgId = AzuriteStorage.NewOrgId();
        var calls = Enumerable.Range(1, 6).Select(n => Rekeyed.Call(CallHistoryGen.History.Single(), orgId, n)).ToArray();
        var deliveries = calls.SelectMany(h => CallHistoryGen.Delivery(h).Single()).ToArray();

        // Act
        await Parallel.ForEachAsync(deliveries, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (e, ct) =>
        {
            if (ActivityKey.Of(e) is { } key) await store.UpdateAsync(key, current => ActivityMerger.Merge(current, e), ct);
        });

        // Assert
        foreach (var history in calls)
        {
            var expected = CallEvents.MergeAll(history)!;
            Assert.Equal(expected, await store.GetAsync(expected.Key));
        }
    }

    [Fact]
    public async Task ApplyAsync_BatchGroupsOfOneCallRacing_SameActivityAsInOrder()
    {
        // Arrange: each call's shuffled deliveries cut into batches of 1-6 events, all groups applied at once, so writers
        // of one activity lose ETag races and merge their whole group again.
        var orgId = AzuriteStorage.NewOrgId();
        var calls = Enumerable.Range(1, 4).Select(n => Rekeyed.Call(CallHistoryGen.History.Single(), orgId, n)).ToArray();
        var groups = calls
            .SelectMany(h => CallHistoryGen.Delivery(h).Single().Chunk(Random.Shared.Next(1, 7)))
            .SelectMany(batch => batch.GroupBy(CallEventGroup.Of).Where(g => !g.Key.AgentLeg).Select(g => g.ToArray()))
            .ToArray();
        var service = Writer();

        // Act
        await Parallel.ForEachAsync(groups, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (group, ct) => await service.ApplyAsync(group, ct));

        // Assert
        foreach (var history in calls)
        {
            var expected = CallEvents.MergeAll(history)!;
            Assert.Equal(expected, await store.GetAsync(expected.Key));
        }
    }

    [Fact]
    public async Task ApplyAsync_GroupsOfACallsEvents_CreatedWithoutAReadAndLaterGroupsWithoutOne()
    {
        // Arrange: a store whose table client counts its round trips.
        var counter = new RoundTrips();
        var counted = new ActivityStore(AzuriteStorage.TablesWith(counter), TimeProvider.System);
        var service = new ActivityService(counted, new NoActivityObserver());
        var call = new CallEvents();
        var events = Rekeyed.Call(
            [call.Status(CallStatus.Initiated, 0, 0), call.Status(CallStatus.Ringing, 1, 2), call.Status(CallStatus.InProgress, 2, 8),
             call.Status(CallStatus.Completed, 3, 68, 60), call.Recording(RecordingStatus.Completed, 70, 60)],
            AzuriteStorage.NewOrgId(), 1);

        // Act
        await service.ApplyAsync(events[..2]);
        var created = Drain(counter);
        await service.ApplyAsync(events[2..]);
        var updated = Drain(counter);
        var activity = await service.ApplyAsync(events);
        var replayed = Drain(counter);

        // Assert: the call's first events create it without a read, the next group starts from what this instance wrote,
        // and a replay that changes nothing reads the row once (to be sure of it) and writes nothing.
        Assert.Equal(CallEvents.MergeAll(events), activity);
        Assert.Equal(CallEvents.MergeAll(events), await store.GetAsync(activity!.Key));
        Assert.Equal(["POST"], created);
        Assert.Equal(["POST"], updated);
        Assert.Equal(["GET"], replayed);
    }

    [Fact]
    public async Task ApplyAsync_AnotherWriterChangedTheActivity_ReadsItAgainAndKeepsBothChanges()
    {
        // Arrange: this instance created the activity; another instance then merged the answer into it.
        var counter = new RoundTrips();
        var counted = new ActivityStore(AzuriteStorage.TablesWith(counter), TimeProvider.System);
        var call = new CallEvents();
        var events = Rekeyed.Call(
            [call.Status(CallStatus.Initiated, 0, 0), call.Status(CallStatus.InProgress, 2, 8), call.Status(CallStatus.Completed, 3, 68, 60)],
            AzuriteStorage.NewOrgId(), 1);
        await new ActivityService(counted, new NoActivityObserver()).ApplyAsync(events[0]);
        await Writer().ApplyAsync(events[1]);
        Drain(counter);

        // Act
        var change = await counted.UpdateAsync(ActivityKey.Of(events[2])!.Value, current => ActivityMerger.Merge(current, events[2]));

        // Assert: the remembered ETag was stale (the transaction refused), so it read the row and merged again.
        Assert.Equal(["POST", "GET", "POST"], Drain(counter));
        Assert.Equal(CallEvents.MergeAll(events[..2]), change.Previous);
        Assert.Equal(CallEvents.MergeAll(events), await store.GetAsync(change.Current.Key));
    }

    private static string[] Drain(RoundTrips counter)
    {
        var calls = counter.Calls.ToArray();
        counter.Calls.Clear();
        return calls;
    }

    private sealed class RoundTrips : Azure.Core.Pipeline.HttpPipelinePolicy
    {
        public System.Collections.Concurrent.ConcurrentQueue<string> Calls { get; } = new();

        public override void Process(Azure.Core.HttpMessage message, ReadOnlyMemory<Azure.Core.Pipeline.HttpPipelinePolicy> pipeline)
        {
            Calls.Enqueue(message.Request.Method.Method);
            ProcessNext(message, pipeline);
        }

        public override ValueTask ProcessAsync(Azure.Core.HttpMessage message, ReadOnlyMemory<Azure.Core.Pipeline.HttpPipelinePolicy> pipeline)
        {
            Calls.Enqueue(message.Request.Method.Method);
            return ProcessNextAsync(message, pipeline);
        }
    }

    [Fact]
    public async Task UpdateAsync_ReplayedEvent_WritesNothing()
    {
        var orgId = AzuriteStorage.NewOrgId();
        var e = Rekeyed.Call([new CallEvents().Status(CallStatus.Ringing, 1, 3)], orgId, 1)[0];
        var key = ActivityKey.Of(e)!.Value;
        await store.UpdateAsync(key, c => ActivityMerger.Merge(c, e));

        var replay = await store.UpdateAsync(key, c => ActivityMerger.Merge(c, e));

        Assert.False(replay.Changed);
    }

    [Fact]
    public async Task ListAsync_Filters_NewestFirstAcrossPages()
    {
        // Arrange: 5 computer calls by ana (completed), 2 phone calls by bo (busy), a minute apart.
        var orgId = AzuriteStorage.NewOrgId();
        var start = DateTimeOffset.UtcNow.AddHours(-2);
        for (var n = 1; n <= 7; n++)
        {
            var method = n <= 5 ? CallingMethod.Computer : CallingMethod.Phone;
            var ending = n <= 5 ? CallStatus.Completed : CallStatus.Busy;
            var e = Rekeyed.Call([new CallEvents(method).Status(ending, 2, 0, 20)], orgId, n, n <= 5 ? "ana" : "bo")[0]
                with { Timestamp = start.AddMinutes(n) };
            await Writer().ApplyAsync(e);
        }

        var admin = Callers.Admin(orgId);

        // Act
        var first = await Lists().ListAsync(admin, new ActivityFilter(Method: "computer"), new PageRequest(3));
        var second = await Lists().ListAsync(admin, new ActivityFilter(Method: "computer"), new PageRequest(3, first.Value!.ContinuationToken));
        var busy = await Lists().ListAsync(admin, new ActivityFilter(Outcome: "busy", UserId: "bo"), PageRequest.First);
        var early = await Lists().ListAsync(admin, new ActivityFilter(To: start.AddMinutes(2.5).ToString("O")), PageRequest.First);

        // Assert
        Assert.Equal([5, 4, 3], first.Value.Items.Select(Number));
        Assert.Equal([2, 1], second.Value!.Items.Select(Number));
        Assert.Null(second.Value.ContinuationToken);
        Assert.Equal([7, 6], busy.Value!.Items.Select(Number));
        Assert.Equal([2, 1], early.Value!.Items.Select(Number));
    }

    [Fact]
    public async Task RecentAsync_ManagerAndRep_SeeTheirTeamsAndTheirOwn()
    {
        // Arrange
        var orgId = await directory.NewOrgAsync();
        await directory.TeamAsync(orgId, "east", "manager-1");
        await directory.TeamAsync(orgId, "west", "someone-else");
        await directory.PersonAsync(orgId, "rep-east", "east");
        await directory.PersonAsync(orgId, "rep-west", "west");
        var reps = new[] { "rep-east", "rep-west", "manager-1" };
        for (var n = 1; n <= reps.Length; n++)
        {
            await Writer().ApplyAsync(Rekeyed.Call([new CallEvents().Status(CallStatus.Ringing, 1, 3)], orgId, n, reps[n - 1])[0]
                with { Timestamp = DateTimeOffset.UtcNow.AddMinutes(-n) });
        }

        // Act
        var manager = await Lists().RecentAsync(Callers.Manager(orgId));
        var rep = await Lists().RecentAsync(Callers.Rep(orgId, "rep-west"));
        var managersTeamList = await Lists().ListAsync(Callers.Manager(orgId), new ActivityFilter(), PageRequest.First);

        // Assert
        Assert.Equal(["rep-east", "manager-1"], manager.Value!.Select(a => a.UserId));
        Assert.Equal(["rep-west"], rep.Value!.Select(a => a.UserId));
        Assert.Equal(["rep-east", "manager-1"], managersTeamList.Value!.Items.Select(a => a.UserId));
    }

    private static int Number(CallActivity a) => int.Parse(a.AgentCallSid[2..], System.Globalization.CultureInfo.InvariantCulture);
}
