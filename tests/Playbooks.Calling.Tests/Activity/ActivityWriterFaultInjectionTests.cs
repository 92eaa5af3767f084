using Azure;
using Azure.Data.Tables;
using CsCheck;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Moq;
using Playbooks.Calling.Activity;
using Playbooks.Calling.CallEvents;
using Playbooks.Calling.People;
using Playbooks.Calling.Teams;
using Playbooks.Calling.Tests.CallEvents;

namespace Playbooks.Calling.Tests.Activity;

/// <summary>The real writer over a real Storage queue and table, with a store that fails a third of its writes.</summary>
[Collection(AzuriteCollection.Name)]
public class ActivityWriterFaultInjectionTests(AzuriteStorage storage)
{
    [Fact]
    public async Task DrainAsync_StoreFailsSomeWrites_EveryEventEndsUpInItsActivity()
    {
        // Arrange
        var queues = await TestQueues.CreateAsync();
        var orgId = AzuriteStorage.NewOrgId();
        var calls = Enumerable.Range(1, 15).Select(n => Rekeyed.Call(CallHistoryGen.History.Single(), orgId, n)).ToArray();
        foreach (var e in calls.SelectMany(h => CallHistoryGen.Delivery(h).Single()).OrderBy(_ => Random.Shared.Next()))
        {
            await queues.PublishAsync(e, CancellationToken.None);
        }

        var store = new FlakyActivityStore(storage.Tables);
        var service = new CountingActivityService(store, new NoActivityObserver());
        var options = new CallEventsOptions { MaxDeliveryCount = 50, RetryBaseSeconds = 1, RetryMaxSeconds = 1 };
        var writer = new ActivityWriter(queues, service, Options.Create(options), TimeProvider.System, NullLogger<ActivityWriter>.Instance);

        // Act: drain until the queue is empty (failed messages come back after a one-second backoff).
        var abandoned = 0;
        for (var run = 0; run < 400; run++)
        {
            var result = await writer.DrainAsync(TimeSpan.FromSeconds(30), CancellationToken.None);
            abandoned += result.Abandoned;
            if (result.Received > 0) continue;
            if ((await queues.Queue.GetPropertiesAsync()).Value.ApproximateMessagesCount == 0) break;
            await Task.Delay(200);
        }

        // Assert
        Assert.True(store.FailedBefore > 0 && store.FailedAfter > 0, "The run should have injected both kinds of fault.");
        // Every event of a group whose write failed is retried, and no other.
        Assert.Equal(service.EventsOfFailedGroups, abandoned);
        foreach (var history in calls)
        {
            var expected = CallEvents.MergeAll(history)!;
            Assert.Equal(expected, await store.GetAsync(expected.Key));
        }

        Assert.Empty((await queues.PoisonQueue.PeekMessagesAsync(32)).Value);
    }

    [Fact]
    public async Task DrainAsync_OneActivityOfASharedTransactionTooLarge_DeadLettersOnlyTheEventAtFault()
    {
        // Arrange: six calls' first two events in one batch, and notes on call 4 longer than a table property can hold.
        var queues = await TestQueues.CreateAsync();
        var orgId = AzuriteStorage.NewOrgId();
        var call = new CallEvents();
        var calls = Enumerable.Range(1, 6)
            .Select(n => Rekeyed.Call([call.Status(CallStatus.Initiated, 0, 0), call.Status(CallStatus.Ringing, 1, 2)], orgId, n))
            .ToArray();
        var tooLong = Rekeyed.Call([call.Disposition("Connected", new string('x', 33_000), 80)], orgId, 4)[0];
        foreach (var e in calls.SelectMany(c => c).Append(tooLong))
        {
            await queues.PublishAsync(e, CancellationToken.None);
        }

        var store = new ActivityStore(storage.Tables, TimeProvider.System);
        var writer = new ActivityWriter(
            queues, new ActivityService(store, new NoActivityObserver()), Options.Create(new CallEventsOptions()), TimeProvider.System, NullLogger<ActivityWriter>.Instance);

        // Act
        var result = await writer.DrainAsync(TimeSpan.FromSeconds(30), CancellationToken.None);

        // Assert
        Assert.Equal(new DrainResult(13, 12, 0, 1, 0), result);
        var dead = PoisonCallEvent.Parse(Assert.Single((await queues.PoisonQueue.PeekMessagesAsync(32)).Value).Body.ToString())!;
        Assert.Equal(ActivityWriter.ActivityWriteRejected, dead.Reason);
        Assert.Equal(tooLong, CallEventSerializer.TryDeserialize(dead.Body!).Value);
        foreach (var events in calls)
        {
            var expected = CallEvents.MergeAll(events)!;
            Assert.Equal(expected, await store.GetAsync(expected.Key));
        }
    }

    /// <summary>The real service, counting the events of the groups it failed to apply.</summary>
    private sealed class CountingActivityService(ActivityStore store, IActivityObserver observer)
        : ActivityService(store, observer)
    {
        private int eventsOfFailedGroups;

        public int EventsOfFailedGroups => eventsOfFailedGroups;

        public override async Task<CallActivity?> ApplyAsync(IReadOnlyList<CallEventMessage> messages, CancellationToken cancellationToken = default)
        {
            try
            {
                return await base.ApplyAsync(messages, cancellationToken);
            }
            catch (RequestFailedException)
            {
                Interlocked.Add(ref eventsOfFailedGroups, messages.Count);
                throw;
            }
        }
    }

    /// <summary>
    /// Fails before the write (storage unavailable) or after it (the process "died" before completing the message): the
    /// first write before, the second after, then a third of them at random, so every run injects both kinds.
    /// </summary>
    private sealed class FlakyActivityStore(TableServiceClient tables) : ActivityStore(tables, TimeProvider.System)
    {
        private int failedBefore;
        private int failedAfter;
        private int writes;

        public int FailedBefore => failedBefore;

        public int FailedAfter => failedAfter;

        public override async Task<ActivityChange> UpdateAsync(
            ActivityKey key, Func<CallActivity?, CallActivity> change, bool likelyNew, CancellationToken cancellationToken = default)
        {
            var dice = Interlocked.Increment(ref writes) switch
            {
                1 => 0.1,
                2 => 0.3,
                _ => Random.Shared.NextDouble(),
            };
            if (dice < 0.2)
            {
                Interlocked.Increment(ref failedBefore);
                throw new RequestFailedException(503, "Injected: the server is busy.");
            }

            var saved = await base.UpdateAsync(key, change, likelyNew, cancellationToken);
            if (dice < 0.33)
            {
                Interlocked.Increment(ref failedAfter);
                throw new RequestFailedException(500, "Injected: failed after the write.");
            }

            return saved;
        }
    }
}
