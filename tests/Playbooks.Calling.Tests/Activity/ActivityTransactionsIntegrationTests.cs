using System.Collections.Concurrent;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using CsCheck;
using Playbooks.Calling.Activity;
using Playbooks.Calling.CallEvents;
using Playbooks.Calling.Storage;

namespace Playbooks.Calling.Tests.Activity;

/// <summary>Activity writes of one org sharing entity-group transactions, on Azurite.</summary>
[Collection(AzuriteCollection.Name)]
public class ActivityTransactionsIntegrationTests(AzuriteStorage storage)
{
    private readonly ActivityStore reader = new(storage.Tables, TimeProvider.System);

    [Fact]
    public async Task ApplyAsync_SixtyCallsOfAnOrgAtOnce_TransactionsOfAtMostOneHundredOperationsAndNoReads()
    {
        // Arrange: 60 calls; the first transaction is held until the 59 other writes wait behind it.
        var orgId = AzuriteStorage.NewOrgId();
        var (service, store, calls) = Counted();
        var histories = Enumerable.Range(1, 60).Select(n => Rekeyed.Call(Call(), orgId, n)).ToArray();

        // Act: the calls' first two events (one group each), then their last three.
        var started = await GatedAsync(calls, store, orgId, histories.Select(h => h[..2]).ToArray(), service);
        var ended = await GatedAsync(calls, store, orgId, histories.Select(h => h[2..]).ToArray(), service);

        // Assert: 300 events in 6 storage calls: per wave one transaction alone, then 50 activities of two rows each
        // (100 operations), then the 9 left; nothing read.
        Assert.Equal(["POST", "POST", "POST"], started);
        Assert.Equal(["POST", "POST", "POST"], ended);
        foreach (var history in histories)
        {
            var expected = CallEvents.MergeAll(history)!;
            Assert.Equal(expected, await reader.GetAsync(expected.Key));
        }

        var listed = await reader.ListAsync(orgId, new ActivityQuery(CallEvents.Start.AddDays(-1)), new PageRequest(100));
        Assert.Equal(60, listed.Items.Count);
    }

    [Fact]
    public async Task ApplyAsync_OneActivityOfATransactionExistsAlready_OnlyItIsReadAndMergedAgain()
    {
        // Arrange: another instance created call 3 already; this one takes its first events for new.
        var orgId = AzuriteStorage.NewOrgId();
        var (service, store, calls) = Counted();
        var histories = Enumerable.Range(1, 6).Select(n => Rekeyed.Call(Call(), orgId, n)).ToArray();
        await new ActivityService(reader, new NoActivityObserver()).ApplyAsync(histories[2][2..]);

        // Act
        var made = await GatedAsync(calls, store, orgId, histories.Select(h => h[..2]).ToArray(), service);

        // Assert: the one Add that conflicted cost one read and a write of its own; the others were stored with it refused.
        Assert.Equal(1, made.Count(m => m == "GET"));
        foreach (var (history, n) in histories.Select((h, n) => (h, n)))
        {
            var expected = CallEvents.MergeAll(n == 2 ? history : history[..2])!;
            Assert.Equal(expected, await reader.GetAsync(expected.Key));
        }
    }

    [Fact]
    public async Task ApplyAsync_OneActivityTooLargeToStore_RefusedAloneAndTheOthersStored()
    {
        // Arrange: call 4's notes are longer than a table property can hold.
        var orgId = AzuriteStorage.NewOrgId();
        var (service, store, calls) = Counted();
        var histories = Enumerable.Range(1, 6).Select(n => Rekeyed.Call(Call(), orgId, n)).ToArray();
        histories[3] = [.. histories[3], Rekeyed.Call([new CallEvents().Disposition("Connected", new string('x', 40_000), 80)], orgId, 4)[0]];
        var groups = histories.Select(h => h.Take(2).Concat(h.Skip(5)).ToArray()).ToArray();
        store.Hold();

        // Act
        var applying = groups.Select(g => service.ApplyAsync(g)).ToArray();
        await WaitAsync(() => store.WaitingWrites(orgId) == groups.Length - 1);
        calls.Open();
        var refused = await Assert.ThrowsAsync<TableTransactionFailedException>(() => applying[3]);
        await Task.WhenAll(applying.Where((_, n) => n != 3));

        // Assert
        Assert.Equal(400, refused.Status);
        Assert.Null(await reader.GetAsync(new ActivityKey(orgId, histories[3][0].ParentCallSid!)));
        foreach (var history in histories.Where((_, n) => n != 3))
        {
            var expected = CallEvents.MergeAll(history[..2])!;
            Assert.Equal(expected, await reader.GetAsync(expected.Key));
        }
    }

    [Fact]
    public async Task ApplyAsync_CallTimeMovesAndItsOldIndexRowIsGone_StoredAndListedOnceAtTheNewTime()
    {
        // Arrange: the activity is listed at its ringing time, and that index row has disappeared since.
        var orgId = AzuriteStorage.NewOrgId();
        var (service, store, _) = Counted();
        var call = Rekeyed.Call(Call(), orgId, 1);
        var ringing = await service.ApplyAsync(call[1]);
        await storage.Tables.GetTableClient(TableNames.Activities).DeleteEntityAsync(orgId, ActivityListEntry.KeyOf(ringing!.RingingAt!.Value, ringing.AgentCallSid));
        var others = Enumerable.Range(2, 3).Select(n => Rekeyed.Call(Call(), orgId, n)[..2]).ToArray();
        store.Hold();

        // Act: the initiated event moves the call earlier, in one transaction with other calls' writes.
        var applying = others.Prepend([call[0]]).Select(g => service.ApplyAsync(g)).ToArray();
        await WaitAsync(() => store.WaitingWrites(orgId) == others.Length);
        store.Release();
        await Task.WhenAll(applying);

        // Assert
        Assert.Equal(CallEvents.MergeAll(call[..2]), await reader.GetAsync(ringing.Key));
        var listed = await reader.ListAsync(orgId, new ActivityQuery(CallEvents.Start.AddDays(-1)), new PageRequest(100));
        Assert.Equal(4, listed.Items.Count);
        Assert.Equal(CallEvents.MergeAll(call[..2]), listed.Items.Single(a => a.Key == ringing.Key));
    }

    [Fact]
    public async Task ApplyAsync_TwoInstancesDrainingRandomBatches_EveryActivityAsIfMergedInOrder()
    {
        // Arrange: random histories of 12 calls of one org, delivered shuffled with duplicates and cut into batches of
        // 1-16 events; two instances (each its own store, cache and transactions) take turns at the batches, so they
        // share transactions across activities, start from what they wrote (cache hits) and lose ETag races to each other.
        for (var run = 0; run < 4; run++)
        {
            var orgId = AzuriteStorage.NewOrgId();
            var histories = Enumerable.Range(1, 12).Select(n => Rekeyed.Call(CallHistoryGen.History.Single(), orgId, n)).ToArray();
            var deliveries = Gen.Shuffle(histories.SelectMany(h => CallHistoryGen.Delivery(h).Single()).ToArray()).Single();
            var batches = deliveries.Chunk(Random.Shared.Next(1, 17)).ToArray();
            var instances = new[] { new ActivityStore(storage.Tables, TimeProvider.System), new ActivityStore(storage.Tables, TimeProvider.System) }
                .Select(s => new ActivityService(s, new NoActivityObserver())).ToArray();

            // Act: each instance drains every other batch, its batches one after another and each batch's groups at once.
            await Task.WhenAll(instances.Select(async (instance, i) =>
            {
                foreach (var batch in batches.Where((_, b) => b % 2 == i))
                {
                    await Task.WhenAll(batch.GroupBy(CallEventGroup.Of).Where(g => !g.Key.AgentLeg).Select(g => instance.ApplyAsync(g.ToArray())));
                }
            }));

            // Assert
            foreach (var history in histories)
            {
                var expected = CallEvents.MergeAll(history)!;
                Assert.Equal(expected, await reader.GetAsync(expected.Key));
            }
        }
    }

    /// <summary>Applies the groups at once with the first transaction held until every other write waits behind it; the storage calls made.</summary>
    private static async Task<string[]> GatedAsync(Gate calls, Holder store, string orgId, CallEventMessage[][] groups, ActivityService service)
    {
        calls.Clear();
        store.Hold();
        var applying = groups.Select(g => service.ApplyAsync(g)).ToArray();
        await WaitAsync(() => store.WaitingWrites(orgId) == groups.Length - 1);
        calls.Open();
        await Task.WhenAll(applying);
        return calls.Calls;
    }

    /// <summary>Waits for a condition the code under test reaches on its own; the timeout only guards against a hang.</summary>
    private static async Task WaitAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!condition()) await Task.Delay(5, timeout.Token);
    }

    private (ActivityService Service, Holder Store, Gate Calls) Counted()
    {
        var gate = new Gate();
        var store = new Holder(AzuriteStorage.TablesWith(gate), gate);
        return (new ActivityService(store, new NoActivityObserver()), store, gate);
    }

    private static CallEventMessage[] Call()
    {
        var call = new CallEvents();
        return
        [
            call.Status(CallStatus.Initiated, 0, 0), call.Status(CallStatus.Ringing, 1, 2), call.Status(CallStatus.InProgress, 2, 8),
            call.Status(CallStatus.Completed, 3, 68, 60), call.Recording(RecordingStatus.Completed, 70, 60),
        ];
    }

    /// <summary>A store whose next transaction its gate holds once <see cref="Hold"/> is called.</summary>
    private sealed class Holder(TableServiceClient tables, Gate gate) : ActivityStore(tables, TimeProvider.System)
    {
        public void Hold() => gate.Close();

        public void Release() => gate.Open();
    }

    /// <summary>Records each storage call's method; while closed, holds the first transaction (POST) until opened.</summary>
    private sealed class Gate : HttpPipelinePolicy
    {
        private readonly ConcurrentQueue<string> calls = new();
        private TaskCompletionSource? open;
        private int held;

        public string[] Calls => [.. calls];

        public void Clear() => calls.Clear();

        public void Close()
        {
            open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            held = 0;
        }

        public void Open() => open?.TrySetResult();

        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
            throw new NotSupportedException("The store calls storage asynchronously.");

        public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            calls.Enqueue(message.Request.Method.Method);
            if (message.Request.Method == RequestMethod.Post && open is { } gate && Interlocked.Exchange(ref held, 1) == 0)
            {
                await gate.Task;
            }

            await ProcessNextAsync(message, pipeline);
        }
    }
}
