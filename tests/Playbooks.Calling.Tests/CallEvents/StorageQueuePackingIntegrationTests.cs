using CsCheck;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Playbooks.Calling.Activity;
using Playbooks.Calling.CallEvents;
using Playbooks.Calling.Tests.Activity;
using TestCall = Playbooks.Calling.Tests.Activity.CallEvents;

namespace Playbooks.Calling.Tests.CallEvents;

/// <summary>Packed messages end to end: concurrent publishers, the real writer, a real Storage queue and table on Azurite.</summary>
[Collection(AzuriteCollection.Name)]
public class StorageQueuePackingIntegrationTests(AzuriteStorage storage)
{
    private static readonly TimeSpan NoWait = TimeSpan.Zero;

    [Fact]
    public async Task PublishAsync_ManyAtOnce_FewerMessagesThanEventsAndEveryEventLandsInItsActivity()
    {
        // Arrange
        var queues = await TestQueues.CreateAsync();
        var orgId = AzuriteStorage.NewOrgId();
        var calls = Enumerable.Range(1, 40).Select(n => Rekeyed.Call(CallHistoryGen.History.Single(), orgId, n)).ToArray();
        var events = calls.SelectMany(h => CallHistoryGen.Delivery(h).Single()).ToArray();

        // Act
        await Task.WhenAll(events.Select(e => queues.PublishAsync(e, CancellationToken.None)));
        var messages = (await queues.Queue.GetPropertiesAsync()).Value.ApproximateMessagesCount;
        var (store, result) = await DrainAsync(queues);

        // Assert
        Assert.True(messages < events.Length / 2, $"{events.Length} events in {messages} messages");
        Assert.Equal(events.Length, result.Completed);
        foreach (var history in calls)
        {
            var expected = TestCall.MergeAll(history)!;
            Assert.Equal(expected, await store.GetAsync(expected.Key));
        }

        Assert.Equal(0, (await queues.Queue.GetPropertiesAsync()).Value.ApproximateMessagesCount);
        Assert.Empty((await queues.PoisonQueue.PeekMessagesAsync(32)).Value);
    }

    [Fact]
    public async Task DrainAsync_PoisonEventInsideAPack_DeadLetteredAloneAndItsNeighboursLand()
    {
        // Arrange: one send in flight, so everything published after the first event shares one message.
        var queues = await TestQueues.CreateAsync(sendsInFlight: 1);
        var orgId = AzuriteStorage.NewOrgId();
        var calls = Enumerable.Range(1, 5).Select(n => Rekeyed.Call(CallHistoryGen.History.Single(), orgId, n)).ToArray();
        var events = calls.SelectMany(h => h).ToList();
        var bad = new TestCall().Status(CallStatus.Ringing, 1, 2) with { OrgId = "org#bad" };
        events.Insert(4, bad);

        // Act
        await Task.WhenAll(events.Select(e => queues.PublishAsync(e, CancellationToken.None)));
        var messages = (await queues.Queue.GetPropertiesAsync()).Value.ApproximateMessagesCount;
        var (store, result) = await DrainAsync(queues);

        // Assert
        Assert.True(messages < events.Count, $"{events.Count} events in {messages} messages");
        Assert.Equal((events.Count - 1, 1), (result.Completed, result.DeadLettered));
        var poisoned = Assert.Single((await queues.PoisonQueue.PeekMessagesAsync(32)).Value);
        var dead = PoisonCallEvent.Parse(poisoned.Body.ToString())!;
        Assert.Equal(ActivityWriter.InvalidActivityKey, dead.Reason);
        Assert.Equal(bad, CallEventSerializer.TryDeserialize(dead.Body).Value);
        foreach (var history in calls)
        {
            var expected = TestCall.MergeAll(history)!;
            Assert.Equal(expected, await store.GetAsync(expected.Key));
        }

        Assert.Equal(0, (await queues.Queue.GetPropertiesAsync()).Value.ApproximateMessagesCount);
    }

    [Fact]
    public async Task RetryLaterAsync_OneEventOfAPack_ComesBackAloneAfterItsDelayWithOneAttempt()
    {
        // Arrange
        var queues = await TestQueues.CreateAsync(sendsInFlight: 1);
        var call = new TestCall();
        var published = new[] { call.Status(CallStatus.Initiated, 0, 0), call.Status(CallStatus.Ringing, 1, 2), call.Status(CallStatus.InProgress, 2, 8) };
        await Task.WhenAll(published.Select(e => queues.PublishAsync(e, CancellationToken.None)));
        var first = await queues.ReceiveAsync(32, NoWait, CancellationToken.None);
        var retried = Assert.Single(first, l => CallEventSerializer.TryDeserialize(l.Body).Value == published[2]);

        // Act
        await Task.WhenAll(first.Select(l => l == retried ? l.RetryLaterAsync(TimeSpan.FromSeconds(1), CancellationToken.None) : l.CompleteAsync(CancellationToken.None)));
        var tooSoon = await queues.ReceiveAsync(32, NoWait, CancellationToken.None);
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        var again = Assert.Single(await queues.ReceiveAsync(32, NoWait, CancellationToken.None));

        // Assert
        Assert.Equal(3, first.Count);
        Assert.Empty(tooSoon);
        Assert.Equal((retried.MessageId, 1, published[2]), (again.MessageId, again.Attempts, CallEventSerializer.TryDeserialize(again.Body).Value));
    }

    [Fact]
    public async Task ReceiveAsync_LeaseOfAPackRunsOut_EveryEventComesBackWithOneAttempt()
    {
        // Arrange
        var queues = await TestQueues.CreateAsync(lease: TimeSpan.FromSeconds(1), sendsInFlight: 1);
        var call = new TestCall();
        var published = new[] { call.Status(CallStatus.Initiated, 0, 0), call.Status(CallStatus.Ringing, 1, 2), call.Status(CallStatus.InProgress, 2, 8) };
        await Task.WhenAll(published.Select(e => queues.PublishAsync(e, CancellationToken.None)));
        var first = await queues.ReceiveAsync(32, NoWait, CancellationToken.None);

        // Act: nothing is settled (a crash); the lease runs out.
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        var again = await queues.ReceiveAsync(32, NoWait, CancellationToken.None);
        await Task.WhenAll(again.Select(l => l.CompleteAsync(CancellationToken.None)));

        // Assert
        Assert.Equal(first.Select(l => l.MessageId).Order(), again.Select(l => l.MessageId).Order());
        Assert.All(first, l => Assert.Equal(0, l.Attempts));
        Assert.All(again, l => Assert.Equal(1, l.Attempts));
        Assert.Empty(await queues.ReceiveAsync(32, NoWait, CancellationToken.None));
    }

    private async Task<(ActivityStore Store, DrainResult Result)> DrainAsync(StorageQueueCallEvents queues)
    {
        var store = new ActivityStore(storage.Tables, TimeProvider.System);
        var writer = new ActivityWriter(queues, new ActivityService(store, new NoActivityObserver()),
            Options.Create(new CallEventsOptions { BatchSize = 32 }), TimeProvider.System, NullLogger<ActivityWriter>.Instance);
        var (received, completed, deadLettered) = (0, 0, 0);
        for (var run = 0; run < 50; run++)
        {
            var result = await writer.DrainAsync(TimeSpan.FromSeconds(30), CancellationToken.None);
            (received, completed, deadLettered) = (received + result.Received, completed + result.Completed, deadLettered + result.DeadLettered);
            if (result.Received == 0) break;
        }

        return (store, new DrainResult(received, completed, 0, deadLettered, 0));
    }
}
