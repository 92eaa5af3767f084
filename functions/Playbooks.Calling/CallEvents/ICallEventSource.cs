namespace Playbooks.Calling.CallEvents;

/// <summary>
/// Where the activity writer takes events from: a Service Bus queue (peek-lock) in Azure, an Azure Storage queue
/// (visibility timeout) on the dev server. A received message stays hidden from other receivers until it is settled
/// or its lease runs out, after which it is delivered again.
/// </summary>
public interface ICallEventSource
{
    /// <summary>
    /// Up to <paramref name="maxMessages"/> leased events, one per queued event; empty when none arrived within
    /// <paramref name="maxWait"/>. A Storage queue carries several events per message and never splits one between
    /// batches, so it may return up to one message's events more.
    /// </summary>
    Task<IReadOnlyList<LeasedCallEvent>> ReceiveAsync(int maxMessages, TimeSpan maxWait, CancellationToken cancellationToken);
}

/// <summary>
/// One received event, leased to this receiver. Settle it once: complete, abandon, retry later or dead-letter. On a
/// Storage queue several events may share a message: each is still settled on its own, and its settle call returns once
/// the message's fate (after all of its events are settled) is stored.
/// </summary>
public abstract class LeasedCallEvent
{
    public abstract string MessageId { get; }

    /// <summary>The payload as text (versioned JSON when well-formed).</summary>
    public abstract string? Body { get; }

    /// <summary>How many times the message has been handed out, this time included (1 on first delivery).</summary>
    public abstract int DeliveryCount { get; }

    /// <summary>
    /// Failed processing attempts before this delivery: retries asked for with <see cref="RetryLaterAsync"/> plus deliveries
    /// whose lease ran out unsettled. Hand-backs (<see cref="AbandonAsync"/>) do not count. This is the poison budget.
    /// </summary>
    public abstract int Attempts { get; }

    public abstract DateTimeOffset EnqueuedAt { get; }

    /// <summary>The W3C trace context of the span that queued the message, when it carries one.</summary>
    public virtual string? TraceParent => null;

    /// <summary>Processed: remove it from the queue.</summary>
    public abstract Task CompleteAsync(CancellationToken cancellationToken);

    /// <summary>Not tried this time (time budget spent, host stopping): hand it back at once without spending an attempt.</summary>
    public abstract Task AbandonAsync(CancellationToken cancellationToken);

    /// <summary>Tried and failed for a reason that may pass (an outage): count one attempt and deliver it again after <paramref name="delay"/>.</summary>
    public abstract Task RetryLaterAsync(TimeSpan delay, CancellationToken cancellationToken);

    /// <summary>Never processable: move it to the dead-letter (poison) queue with a reason.</summary>
    public abstract Task DeadLetterAsync(string reason, string description, CancellationToken cancellationToken);
}
