using System.Diagnostics;
using System.Text.Json;
using Azure.Storage.Queues.Models;

namespace Playbooks.Calling.CallEvents;

/// <summary>
/// A received Storage-queue message whose events are leased one by one. Each event is settled on its own; the message
/// itself is settled when the last of them is, and every settle call returns (or throws) only then, so no event is
/// reported settled before what became of it is stored:
/// <list type="bullet">
/// <item>all completed: the message is deleted (one call);</item>
/// <item>dead-lettered events each go to the poison queue as their own <see cref="PoisonCallEvent"/> with their reason;</item>
/// <item>events to try again (retried with a delay, or handed back) stay in the message: it is rewritten to hold only
/// them and made visible after the shortest of their delays (one call, the same as a delete). Events waiting longer are
/// sent as new messages hidden for their own delay, one per delay, so none comes back early. Every kept event carries
/// its attempt count; a kept one records the delivery count it was handed back at (a new message starts from zero),
/// so a lease that runs out later still counts as one failed attempt of each of its events.</item>
/// </list>
/// The sends come first and the delete or rewrite of the message last: if any fails, every event's settle fails and the
/// whole message comes back when its lease runs out, which the idempotent merge absorbs. If some event is never settled,
/// the others' settle calls fail when the lease runs out, as the message is then delivered again.
/// </summary>
internal sealed class PackedQueueMessage
{
    private readonly StorageQueueCallEvents owner;
    private readonly QueueMessage message;
    private readonly IReadOnlyList<PackedEvent> events;
    private readonly Settlement?[] settlements;
    private readonly TaskCompletionSource allMarked = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource settled = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly long receivedAt = Stopwatch.GetTimestamp();
    private readonly Lock gate = new();
    private int unsettled;

    public PackedQueueMessage(StorageQueueCallEvents owner, QueueMessage message)
    {
        this.owner = owner;
        this.message = message;
        events = CallEventPack.Read(message.Body?.ToString());
        settlements = new Settlement?[events.Count];
        unsettled = events.Count;
    }

    /// <summary>How many events the message holds.</summary>
    public int Count => events.Count;

    /// <summary>Done when the message has been deleted or rewritten (or failed to be).</summary>
    public Task Settled => settled.Task;

    private int DeliveryCount => (int)Math.Min(message.DequeueCount, int.MaxValue);

    /// <summary>Leases the first <paramref name="count"/> events; the others are handed back without spending an attempt.</summary>
    public IReadOnlyList<LeasedCallEvent> Lease(int count)
    {
        for (var i = count; i < events.Count; i++)
        {
            Record(i, new Requeue(Attempts(i), TimeSpan.Zero), CancellationToken.None);
        }

        return Enumerable.Range(0, count).Select(i => (LeasedCallEvent)new Leased(this, i)).ToList();
    }

    // Every receive raises DequeueCount; deliveries settled by handing back or retrying are not lost leases.
    private int Attempts(int i) => events[i].Attempts + Math.Max(0, DeliveryCount - 1 - events[i].HandedBack);

    private string IdOf(int i) => events[i].Id ?? message.MessageId;

    private async Task Settle(int i, Settlement settlement, CancellationToken cancellationToken)
    {
        Record(i, settlement, cancellationToken);
        await WaitAsync(i, cancellationToken);
    }

    /// <summary>Notes what becomes of one event; the last one settles the message.</summary>
    private void Record(int i, Settlement settlement, CancellationToken cancellationToken)
    {
        bool last;
        lock (gate)
        {
            if (settlements[i] is not null) throw new InvalidOperationException($"Event {IdOf(i)} is already settled.");
            settlements[i] = settlement;
            last = --unsettled == 0;
        }

        if (last)
        {
            allMarked.TrySetResult();
            _ = FinishAsync(cancellationToken);
        }
    }

    private async Task WaitAsync(int i, CancellationToken cancellationToken)
    {
        // Measured on this machine's clock: the queue's NextVisibleOn is in whole seconds and on the server's clock.
        var left = owner.Lease - Stopwatch.GetElapsedTime(receivedAt);
        try
        {
            await allMarked.Task.WaitAsync(left > TimeSpan.Zero ? left : TimeSpan.Zero, cancellationToken);
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException(
                $"Event {IdOf(i)} waited for the other events of message {message.MessageId}, which were not all settled before its lease ran out; they all come back.", e);
        }

        await settled.Task.WaitAsync(cancellationToken);
    }

    private async Task FinishAsync(CancellationToken cancellationToken)
    {
        try
        {
            var sends = new List<Task>();
            foreach (var (i, dead) in Marked<DeadLetter>())
            {
                var poison = new PoisonCallEvent(IdOf(i), dead.Reason, dead.Description, DeliveryCount, events[i].Payload);
                // Kept until someone deals with it, like a Service Bus dead-letter queue.
                sends.Add(owner.PoisonQueue.SendMessageAsync(
                    BinaryData.FromString(JsonSerializer.Serialize(poison, PlaybooksJson.Options)), visibilityTimeout: null, timeToLive: TimeSpan.FromSeconds(-1), cancellationToken));
            }

            var byDelay = Marked<Requeue>().GroupBy(r => r.Settlement.Delay).OrderBy(g => g.Key).ToList();
            foreach (var later in byDelay.Skip(1))
            {
                var body = CallEventPack.Write(later.Select(r => events[r.Index] with { Attempts = r.Settlement.Attempts, HandedBack = 0 }).ToList());
                sends.Add(owner.Queue.SendMessageAsync(body, visibilityTimeout: later.Key, timeToLive: null, cancellationToken));
            }

            await Task.WhenAll(sends);
            if (byDelay.FirstOrDefault() is { } soonest)
            {
                var kept = CallEventPack.Write(soonest.Select(r => events[r.Index] with { Attempts = r.Settlement.Attempts, HandedBack = DeliveryCount }).ToList());
                await owner.Queue.UpdateMessageAsync(message.MessageId, message.PopReceipt, kept, soonest.Key, cancellationToken);
            }
            else
            {
                await owner.Queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken);
            }

            settled.TrySetResult();
        }
        catch (Exception e)
        {
            settled.TrySetException(e);
        }
    }

    private IEnumerable<(int Index, T Settlement)> Marked<T>() where T : Settlement =>
        settlements.Select((s, i) => (i, s)).Where(x => x.s is T).Select(x => (x.i, (T)x.s!));

    private abstract record Settlement;

    private sealed record Complete : Settlement;

    /// <summary>Back in the queue after <paramref name="Delay"/>, with <paramref name="Attempts"/> failed attempts.</summary>
    private sealed record Requeue(int Attempts, TimeSpan Delay) : Settlement;

    private sealed record DeadLetter(string Reason, string Description) : Settlement;

    private sealed class Leased(PackedQueueMessage owner, int index) : LeasedCallEvent
    {
        public override string MessageId => owner.IdOf(index);

        public override string? Body => owner.events[index].Payload;

        public override int DeliveryCount => owner.DeliveryCount;

        public override int Attempts => owner.Attempts(index);

        public override DateTimeOffset EnqueuedAt => owner.message.InsertedOn ?? DateTimeOffset.MinValue;

        public override string? TraceParent => owner.events[index].TraceParent;

        public override Task CompleteAsync(CancellationToken cancellationToken) =>
            owner.Settle(index, new Complete(), cancellationToken);

        public override Task AbandonAsync(CancellationToken cancellationToken) =>
            owner.Settle(index, new Requeue(Attempts, TimeSpan.Zero), cancellationToken);

        public override Task RetryLaterAsync(TimeSpan delay, CancellationToken cancellationToken) =>
            owner.Settle(index, new Requeue(Attempts + 1, delay < TimeSpan.Zero ? TimeSpan.Zero : delay), cancellationToken);

        public override Task DeadLetterAsync(string reason, string description, CancellationToken cancellationToken) =>
            owner.Settle(index, new DeadLetter(reason, description), cancellationToken);
    }
}
