using Playbooks.Calling.Activity;
using Playbooks.Calling.CallEvents;
using TestCall = Playbooks.Calling.Tests.Activity.CallEvents;

namespace Playbooks.Calling.Tests.CallEvents;

[Collection(AzuriteCollection.Name)]
public class StorageQueueCallEventsIntegrationTests
{
    private static readonly TimeSpan NoWait = TimeSpan.Zero;
    private readonly TestCall events = new();

    [Fact]
    public async Task PublishAsync_ThenReceive_SameEventOnFirstDelivery()
    {
        // Arrange
        var queues = await TestQueues.CreateAsync();
        var e = events.Status(CallStatus.Completed, 3, 40, 31);

        // Act
        await queues.PublishAsync(e, CancellationToken.None);
        var batch = await queues.ReceiveAsync(32, NoWait, CancellationToken.None);

        // Assert
        var leased = Assert.Single(batch);
        Assert.Equal(1, leased.DeliveryCount);
        Assert.Equal(e, CallEventSerializer.TryDeserialize(leased.Body).Value);
    }

    [Theory]
    [InlineData(75, 100, 75)]
    [InlineData(75, 40, 40)]
    [InlineData(20, 128, 20)]
    public async Task ReceiveAsync_MoreThanOneCallHandsOut_UpToTheAskedNumberEachOnce(int queued, int asked, int expected)
    {
        var queues = await TestQueues.CreateAsync();
        await Parallel.ForEachAsync(Enumerable.Range(0, queued), async (i, ct) =>
            await queues.PublishAsync(events.Status(CallStatus.Ringing, i, 3), ct));

        var batch = await queues.ReceiveAsync(asked, NoWait, CancellationToken.None);

        Assert.Equal(expected, batch.Count);
        Assert.Equal(expected, batch.Select(m => m.MessageId).Distinct().Count());
    }

    [Fact]
    public async Task ReceiveAsync_MessageLeased_HiddenFromOtherReceivers()
    {
        var queues = await TestQueues.CreateAsync();
        await queues.PublishAsync(events.Status(CallStatus.Ringing, 1, 3), CancellationToken.None);
        Assert.Single(await queues.ReceiveAsync(32, NoWait, CancellationToken.None));

        var second = await queues.ReceiveAsync(32, NoWait, CancellationToken.None);

        Assert.Empty(second);
    }

    [Fact]
    public async Task AbandonAsync_Message_RedeliveredAtOnceWithHigherDeliveryCount()
    {
        var queues = await TestQueues.CreateAsync();
        var e = events.Status(CallStatus.Ringing, 1, 3);
        await queues.PublishAsync(e, CancellationToken.None);
        var first = Assert.Single(await queues.ReceiveAsync(32, NoWait, CancellationToken.None));

        await first.AbandonAsync(CancellationToken.None);
        var again = Assert.Single(await queues.ReceiveAsync(32, NoWait, CancellationToken.None));

        Assert.Equal(2, again.DeliveryCount);
        Assert.Equal(0, again.Attempts);
        Assert.Equal(e, CallEventSerializer.TryDeserialize(again.Body).Value);
    }

    [Fact]
    public async Task RetryLaterAsync_Message_HiddenForTheDelayThenBackWithOneAttempt()
    {
        // Arrange
        var queues = await TestQueues.CreateAsync();
        var e = events.Status(CallStatus.Completed, 3, 40, 31);
        await queues.PublishAsync(e, CancellationToken.None);
        var first = Assert.Single(await queues.ReceiveAsync(32, NoWait, CancellationToken.None));

        // Act
        await first.RetryLaterAsync(TimeSpan.FromSeconds(2), CancellationToken.None);
        var tooSoon = await queues.ReceiveAsync(32, NoWait, CancellationToken.None);
        await Task.Delay(TimeSpan.FromSeconds(2.5));
        var again = Assert.Single(await queues.ReceiveAsync(32, NoWait, CancellationToken.None));

        // Assert
        Assert.Empty(tooSoon);
        Assert.Equal(1, again.Attempts);
        Assert.Equal(e, CallEventSerializer.TryDeserialize(again.Body).Value);
    }

    [Fact]
    public async Task Attempts_RetriedThenHandedBackThenLeaseLost_CountsOnlyTheRetryAndTheLostLease()
    {
        var queues = await TestQueues.CreateAsync(lease: TimeSpan.FromSeconds(1));
        await queues.PublishAsync(events.Status(CallStatus.Ringing, 1, 3), CancellationToken.None);
        var first = Assert.Single(await queues.ReceiveAsync(32, NoWait, CancellationToken.None));
        await first.RetryLaterAsync(TimeSpan.Zero, CancellationToken.None);
        var second = Assert.Single(await queues.ReceiveAsync(32, NoWait, CancellationToken.None));
        await second.AbandonAsync(CancellationToken.None);
        Assert.Single(await queues.ReceiveAsync(32, NoWait, CancellationToken.None));

        await Task.Delay(TimeSpan.FromSeconds(1.5));
        var fourth = Assert.Single(await queues.ReceiveAsync(32, NoWait, CancellationToken.None));

        Assert.Equal(4, fourth.DeliveryCount);
        Assert.Equal(2, fourth.Attempts);
    }

    [Fact]
    public async Task DeadLetterAsync_AfterRetries_PoisonQueueKeepsTheOriginalPayload()
    {
        var queues = await TestQueues.CreateAsync(lease: TimeSpan.FromSeconds(1));
        var e = events.Status(CallStatus.Ringing, 1, 3);
        await queues.PublishAsync(e, CancellationToken.None);
        var first = Assert.Single(await queues.ReceiveAsync(32, NoWait, CancellationToken.None));
        await first.RetryLaterAsync(TimeSpan.Zero, CancellationToken.None);
        var again = Assert.Single(await queues.ReceiveAsync(32, NoWait, CancellationToken.None));

        await again.DeadLetterAsync(ActivityWriter.MaxDeliveryExceeded, "Failed 1 times.", CancellationToken.None);

        var poisoned = Assert.Single((await queues.PoisonQueue.PeekMessagesAsync(32)).Value);
        Assert.Equal(e, CallEventSerializer.TryDeserialize(PoisonCallEvent.Parse(poisoned.Body.ToString())!.Body).Value);
    }

    [Fact]
    public async Task ReceiveAsync_LeaseExpires_MessageComesBack()
    {
        var queues = await TestQueues.CreateAsync(lease: TimeSpan.FromSeconds(1));
        await queues.PublishAsync(events.Status(CallStatus.Ringing, 1, 3), CancellationToken.None);
        Assert.Single(await queues.ReceiveAsync(32, NoWait, CancellationToken.None));

        await Task.Delay(TimeSpan.FromSeconds(1.5));
        var again = Assert.Single(await queues.ReceiveAsync(32, NoWait, CancellationToken.None));

        Assert.Equal(2, again.DeliveryCount);
    }

    [Fact]
    public async Task CompleteAsync_Message_GoneForGood()
    {
        var queues = await TestQueues.CreateAsync(lease: TimeSpan.FromSeconds(1));
        await queues.PublishAsync(events.Status(CallStatus.Ringing, 1, 3), CancellationToken.None);
        var leased = Assert.Single(await queues.ReceiveAsync(32, NoWait, CancellationToken.None));

        await leased.CompleteAsync(CancellationToken.None);
        await Task.Delay(TimeSpan.FromSeconds(1.5));

        Assert.Empty(await queues.ReceiveAsync(32, NoWait, CancellationToken.None));
    }

    [Fact]
    public async Task DeadLetterAsync_Message_MovesToPoisonQueueWithReason()
    {
        // Arrange
        var queues = await TestQueues.CreateAsync(lease: TimeSpan.FromSeconds(1));
        await queues.Queue.SendMessageAsync("{\"version\":9}");
        var leased = Assert.Single(await queues.ReceiveAsync(32, NoWait, CancellationToken.None));

        // Act
        await leased.DeadLetterAsync(CallEventSerializer.UnsupportedVersion, "Version 9 is not supported.", CancellationToken.None);
        await Task.Delay(TimeSpan.FromSeconds(1.5));

        // Assert
        Assert.Empty(await queues.ReceiveAsync(32, NoWait, CancellationToken.None));
        var poisoned = Assert.Single((await queues.PoisonQueue.PeekMessagesAsync(32)).Value);
        var dead = PoisonCallEvent.Parse(poisoned.Body.ToString())!;
        Assert.Equal(CallEventSerializer.UnsupportedVersion, dead.Reason);
        Assert.Equal("{\"version\":9}", dead.Body);
        Assert.Equal(leased.MessageId, dead.MessageId);
    }

    [Fact]
    public async Task PublishAsync_QueueMissing_CreatesItAndSends()
    {
        var queues = await TestQueues.CreateAsync();
        await queues.Queue.DeleteAsync();

        await queues.PublishAsync(events.Status(CallStatus.Ringing, 1, 3), CancellationToken.None);

        Assert.Single(await queues.ReceiveAsync(32, NoWait, CancellationToken.None));
    }
}
