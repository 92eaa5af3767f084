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

namespace Playbooks.Calling.Tests.Activity;

/// <summary>
/// The real writer and activity table on Azurite through a 10-minute storage outage in virtual time, under steady load:
/// the backoff must outlast the outage, so every event ends in its activity and nothing is dead-lettered.
/// </summary>
[Collection(AzuriteCollection.Name)]
public class ActivityWriterOutageTests(AzuriteStorage storage)
{
    private static readonly TimeSpan Tick = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task DrainAsync_StorageDownForTenMinutesUnderLoad_EveryEventEndsUpInItsActivity()
    {
        // Arrange: a new call every 15 s for 20 minutes; storage is down from minute 2 to minute 12.
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero));
        var start = time.GetUtcNow();
        var outage = (From: start.AddMinutes(2), To: start.AddMinutes(12));
        var queue = new VirtualQueue(time);
        var store = new OutageActivityStore(storage.Tables, time, outage);
        var orgId = AzuriteStorage.NewOrgId();
        var calls = Enumerable.Range(1, 80).Select(n => Rekeyed.Call(CallHistoryGen.History.Single(), orgId, n)).ToArray();
        var service = new ActivityService(store, new NoActivityObserver());
        var options = new CallEventsOptions();
        var writer = new ActivityWriter(queue, service, Options.Create(options), time, NullLogger<ActivityWriter>.Instance);

        // Act: the timer drains every 5 s of virtual time for 45 minutes.
        var next = 0;
        while (time.GetUtcNow() < start.AddMinutes(45))
        {
            if (next < calls.Length && time.GetUtcNow() >= start.AddSeconds(15 * next))
            {
                foreach (var e in CallHistoryGen.Delivery(calls[next++]).Single()) queue.Publish(e);
            }

            await writer.DrainAsync(options.DrainBudget, CancellationToken.None);
            time.Advance(Tick);
        }

        // Assert
        Assert.Equal(calls.Length, next);
        Assert.True(store.Refused > 100, $"The outage should have refused many writes, not {store.Refused}.");
        Assert.Equal(TimeSpan.FromSeconds(options.RetryMaxSeconds), queue.LongestDelay);
        Assert.Empty(queue.DeadLettered);
        Assert.Equal(0, queue.Pending);
        foreach (var history in calls)
        {
            var expected = CallEvents.MergeAll(history)!;
            Assert.Equal(expected, await store.GetAsync(expected.Key));
        }
    }

    [Fact]
    public async Task DrainAsync_StorageNeverComesBack_DeadLettersAfterTheAttemptLimitWithReason()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero));
        var queue = new VirtualQueue(time);
        var store = new OutageActivityStore(storage.Tables, time, (time.GetUtcNow(), DateTimeOffset.MaxValue));
        var call = Rekeyed.Call(CallHistoryGen.History.Single(), AzuriteStorage.NewOrgId(), 1);
        var service = new ActivityService(store, new NoActivityObserver());
        var options = new CallEventsOptions { MaxDeliveryCount = 4 };
        var writer = new ActivityWriter(queue, service, Options.Create(options), time, NullLogger<ActivityWriter>.Instance);
        queue.Publish(call[0]);

        for (var i = 0; i < 100; i++)
        {
            await writer.DrainAsync(options.DrainBudget, CancellationToken.None);
            time.Advance(Tick);
        }

        var dead = Assert.Single(queue.DeadLettered);
        Assert.Equal(ActivityWriter.MaxDeliveryExceeded, dead);
        Assert.Equal(4, store.Refused);
    }

    /// <summary>Activity writes fail with 503 while the virtual clock is inside the outage.</summary>
    private sealed class OutageActivityStore(TableServiceClient tables, TimeProvider clock, (DateTimeOffset From, DateTimeOffset To) outage)
        : ActivityStore(tables, clock)
    {
        private readonly TimeProvider time = clock;

        private int refused;

        public int Refused => refused;

        public override Task<ActivityChange> UpdateAsync(
            ActivityKey key, Func<CallActivity?, CallActivity> change, bool likelyNew, CancellationToken cancellationToken = default)
        {
            var now = time.GetUtcNow();
            if (now >= outage.From && now < outage.To)
            {
                Interlocked.Increment(ref refused);
                throw new RequestFailedException(503, "Injected: storage is down.");
            }

            return base.UpdateAsync(key, change, likelyNew, cancellationToken);
        }
    }

    /// <summary>A queue whose visibility timeouts run on the virtual clock, with the lease contract of the real transports.</summary>
    private sealed class VirtualQueue(TimeProvider clock) : ICallEventSource, ICallEventPublisher
    {
        private readonly TimeProvider time = clock;
        private readonly object gate = new();
        private readonly List<Entry> entries = [];
        private TimeSpan longestDelay;

        public List<string> DeadLettered { get; } = [];

        public TimeSpan LongestDelay => longestDelay;

        public int Pending
        {
            get { lock (gate) return entries.Count; }
        }

        public void Publish(CallEventMessage e)
        {
            lock (gate) entries.Add(new Entry(Guid.NewGuid().ToString("N"), CallEventSerializer.Serialize(e)) { VisibleAt = time.GetUtcNow() });
        }

        public Task PublishAsync(CallEventMessage message, CancellationToken cancellationToken)
        {
            Publish(message);
            return Task.CompletedTask;
        }

        public Task<IReadOnlyList<LeasedCallEvent>> ReceiveAsync(int maxMessages, TimeSpan maxWait, CancellationToken cancellationToken)
        {
            lock (gate)
            {
                var now = time.GetUtcNow();
                var batch = entries.Where(e => !e.Leased && e.VisibleAt <= now).Take(maxMessages).ToList();
                foreach (var e in batch)
                {
                    e.Leased = true;
                    e.Deliveries++;
                }

                return Task.FromResult<IReadOnlyList<LeasedCallEvent>>(batch.Select(e => (LeasedCallEvent)new Leased(this, e)).ToList());
            }
        }

        private sealed class Entry(string id, string body)
        {
            public string Id => id;

            public string Body => body;

            public int Attempts { get; set; }

            public int Deliveries { get; set; }

            public bool Leased { get; set; }

            public DateTimeOffset VisibleAt { get; set; }
        }

        private sealed class Leased(VirtualQueue queue, Entry entry) : LeasedCallEvent
        {
            public override string MessageId => entry.Id;

            public override string? Body => entry.Body;

            public override int DeliveryCount => entry.Deliveries;

            public override int Attempts => entry.Attempts;

            public override DateTimeOffset EnqueuedAt => DateTimeOffset.MinValue;

            public override Task CompleteAsync(CancellationToken cancellationToken) => Remove();

            public override Task AbandonAsync(CancellationToken cancellationToken) => Release(TimeSpan.Zero, 0);

            public override Task RetryLaterAsync(TimeSpan delay, CancellationToken cancellationToken) => Release(delay, 1);

            public override Task DeadLetterAsync(string reason, string description, CancellationToken cancellationToken)
            {
                lock (queue.gate) queue.DeadLettered.Add(reason);
                return Remove();
            }

            private Task Remove()
            {
                lock (queue.gate) queue.entries.Remove(entry);
                return Task.CompletedTask;
            }

            private Task Release(TimeSpan delay, int attempt)
            {
                lock (queue.gate)
                {
                    entry.Attempts += attempt;
                    entry.Leased = false;
                    entry.VisibleAt = queue.time.GetUtcNow() + delay;
                    if (delay > queue.longestDelay) queue.longestDelay = delay;
                }

                return Task.CompletedTask;
            }
        }
    }
}
