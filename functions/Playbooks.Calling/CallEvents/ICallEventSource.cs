namespace Playbooks.Calling.CallEvents;

/// <summary>
/// Where the activity writer takes events from: a Service Bus queue (peek-lock) in Azure, an Azure Storage queue
/// (visibility timeout) on the dev server. A received message stays hidden from other receivers until it is settled
/// or its lease runs out, after which it is delivered again.
/// </summary>
public interface ICallEventSource
{
    /// <summary>Up to <paramref name="maxMessages"/> leased messages; empty when none arrived within <paramref name="maxWait"/>.</summary>
    Task<IReadOnlyList<LeasedCallEvent>> ReceiveAsync(int maxMessages, TimeSpan maxWait, CancellationToken cancellationToken);
}

/// <summary>One received message, leased to this receiver. Settle it once: complete, abandon or dead-letter.</summary>
public abstract class LeasedCallEvent
{
    public abstract string MessageId { get; }

    /// <summary>The payload as text (versioned JSON when well-formed).</summary>
    public abstract string? Body { get; }

    /// <summary>How many times the message has been handed out, this time included (1 on first delivery).</summary>
    public abstract int DeliveryCount { get; }

    public abstract DateTimeOffset EnqueuedAt { get; }

    /// <summary>Processed: remove it from the queue.</summary>
    public abstract Task CompleteAsync(CancellationToken cancellationToken);

    /// <summary>Not processed this time: release the lease so it is delivered again.</summary>
    public abstract Task AbandonAsync(CancellationToken cancellationToken);

    /// <summary>Never processable: move it to the dead-letter (poison) queue with a reason.</summary>
    public abstract Task DeadLetterAsync(string reason, string description, CancellationToken cancellationToken);
}
