using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

namespace Playbooks.Calling.CallEvents;

/// <summary>Which queue carries call events.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CallEventTransport>))]
public enum CallEventTransport
{
    ServiceBus,
    StorageQueue,
}

/// <summary>The call-event queue and the activity writer that drains it (section "CallEvents").</summary>
public sealed class CallEventsOptions
{
    public const string Section = "CallEvents";

    /// <summary>Resolved at start-up: the setting, else StorageQueue with a storage connection string and no Service Bus namespace.</summary>
    public CallEventTransport Transport { get; set; }

    /// <summary>The Storage queue (dev server); its poison queue is this name plus "-poison".</summary>
    [Required]
    [RegularExpression("^[a-z0-9](?!.*--)[a-z0-9-]{1,54}[a-z0-9]$", ErrorMessage = "CallEvents:StorageQueueName must be a valid queue name of at most 56 characters.")]
    public string StorageQueueName { get; set; } = "call-events";

    /// <summary>
    /// Storage queue: the most events published at the same time that travel in one queue message (a pack stays well
    /// under the queue's 64 KB message limit whatever this is).
    /// </summary>
    [Range(1, 256)]
    public int StorageQueuePackSize { get; set; } = 64;

    /// <summary>
    /// Storage queue: sends of published events in flight at once. A publish with fewer in flight is sent at once; the
    /// ones arriving while all are in flight share the next message.
    /// </summary>
    [Range(1, 64)]
    public int StorageQueueSendsInFlight { get; set; } = 4;

    /// <summary>
    /// Events received at once (on a Storage queue, as many messages as carry about that many), then grouped by activity so each activity is read and written once per batch (a
    /// Storage queue hands out at most 32 per call; more are received in parallel calls once the first comes back full).
    /// </summary>
    [Range(1, 1024)]
    public int BatchSize { get; set; } = 512;

    /// <summary>Activities of a batch written at the same time (each with all of the batch's events for it).</summary>
    [Range(1, 64)]
    public int MaxParallelism { get; set; } = 32;

    /// <summary>Failed attempts after which a message goes to the dead-letter queue; with the backoff below, 10 spans about 20 minutes.</summary>
    [Range(1, 100)]
    public int MaxDeliveryCount { get; set; } = 10;

    /// <summary>The wait before the first retry of a failed event; it doubles with each failed attempt.</summary>
    [Range(1, 600)]
    public int RetryBaseSeconds { get; set; } = 5;

    /// <summary>The longest wait between retries.</summary>
    [Range(1, 3600)]
    public int RetryMaxSeconds { get; set; } = 300;

    /// <summary>How long one timer run of the writer may drain (the timer fires again right after).</summary>
    [Range(1, 600)]
    public int DrainBudgetSeconds { get; set; } = 55;

    /// <summary>The writer stops receiving when less than this is left of its budget, so a batch finishes in time.</summary>
    [Range(0, 120)]
    public int StopMarginSeconds { get; set; } = 5;

    /// <summary>How long a receive waits for the first message (Service Bus; a Storage queue answers at once).</summary>
    [Range(0, 60)]
    public int ReceiveWaitSeconds { get; set; } = 2;

    /// <summary>The Storage queue's lease (visibility timeout); Service Bus uses the queue's own lock duration.</summary>
    [Range(5, 600)]
    public int LockSeconds { get; set; } = 60;

    /// <summary>The dev server's pause between drains of an empty queue.</summary>
    [Range(10, 60_000)]
    public int IdlePollMilliseconds { get; set; } = 250;

    public TimeSpan DrainBudget => TimeSpan.FromSeconds(DrainBudgetSeconds);

    public TimeSpan StopMargin => TimeSpan.FromSeconds(StopMarginSeconds);

    public TimeSpan ReceiveWait => TimeSpan.FromSeconds(ReceiveWaitSeconds);

    public TimeSpan Lock => TimeSpan.FromSeconds(LockSeconds);

    public TimeSpan IdlePollInterval => TimeSpan.FromMilliseconds(IdlePollMilliseconds);

    /// <summary>The wait before retrying an event that has failed <paramref name="attempts"/> times already (0 on its first failure).</summary>
    public TimeSpan RetryDelay(int attempts)
    {
        var seconds = RetryBaseSeconds * Math.Pow(2, Math.Clamp(attempts, 0, 30));
        return TimeSpan.FromSeconds(Math.Min(seconds, Math.Max(RetryBaseSeconds, RetryMaxSeconds)));
    }
}

/// <summary>The production queue (section "ServiceBus"); identity-based, no connection string.</summary>
public sealed class ServiceBusOptions
{
    public const string Section = "ServiceBus";

    /// <summary>e.g. <c>sb-playbooks-abc123.servicebus.windows.net</c>.</summary>
    [Required(ErrorMessage = "Set ServiceBus:FullyQualifiedNamespace (or CallEvents:Transport=StorageQueue for local runs).")]
    public string? FullyQualifiedNamespace { get; set; }

    [Required]
    public string QueueName { get; set; } = "call-events";

    /// <summary>Client id of the user-assigned managed identity; empty uses the default credential chain.</summary>
    public string? ClientId { get; set; }
}
