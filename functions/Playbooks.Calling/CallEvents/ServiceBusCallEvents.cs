using Azure.Messaging.ServiceBus;
using Playbooks.Calling.Activity;
using Playbooks.Calling.Telemetry;

namespace Playbooks.Calling.CallEvents;

/// <summary>
/// Publishes to the Service Bus queue. The MessageId comes from <see cref="CallEventMessageId"/>, so the queue's
/// duplicate detection drops a callback Twilio delivered twice. The queuing span's trace context travels in the
/// application properties <c>traceparent</c> and <c>Diagnostic-Id</c>.
/// </summary>
public sealed class ServiceBusCallEventPublisher(ServiceBusSender sender) : ICallEventPublisher
{
    public async Task PublishAsync(CallEventMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        using var span = CallTrace.StartPublish(message);
        var queued = new ServiceBusMessage(CallEventSerializer.Serialize(message))
        {
            MessageId = CallEventMessageId.For(message),
            ContentType = "application/json",
            Subject = CallEventKinds.ToWire(message.Kind),
        };
        CallTrace.Inject(queued.ApplicationProperties);
        await sender.SendMessageAsync(queued, cancellationToken);
    }
}

/// <summary>
/// Receives peek-locked batches from the Service Bus queue. A retry or a hand-back schedules a copy of the message
/// (<see cref="ServiceBusMessage.ScheduledEnqueueTime"/>) and then completes the original, so no delivery count is spent
/// while storage is down; the copy carries the attempt count in its application properties.
/// </summary>
public sealed class ServiceBusCallEventSource(ServiceBusReceiver receiver, ServiceBusSender sender, TimeProvider time) : ICallEventSource
{
    /// <summary>Failed attempts carried by a copy.</summary>
    public const string AttemptsProperty = "playbooks-attempts";

    /// <summary>How many copies preceded this one; part of the copy's MessageId, so duplicate detection drops a copy sent twice.</summary>
    public const string RequeuesProperty = "playbooks-requeues";

    /// <summary>The first message's id, which duplicate detection and the dead-letter list know the event by.</summary>
    public const string OriginalIdProperty = "playbooks-original-id";

    // Service Bus caps a dead-letter reason and description at 4096 characters each.
    private const int MaxDeadLetterText = 4096;

    public async Task<IReadOnlyList<LeasedCallEvent>> ReceiveAsync(int maxMessages, TimeSpan maxWait, CancellationToken cancellationToken)
    {
        var messages = await receiver.ReceiveMessagesAsync(maxMessages, maxWait, cancellationToken);
        return messages.Select(m => (LeasedCallEvent)new Leased(receiver, sender, time, m)).ToList();
    }

    /// <summary>The id a copy of <paramref name="originalId"/> is sent under after <paramref name="requeues"/> copies.</summary>
    public static string CopyId(string originalId, int requeues) => $"{originalId}~{requeues}";

    private sealed class Leased(ServiceBusReceiver receiver, ServiceBusSender sender, TimeProvider time, ServiceBusReceivedMessage message) : LeasedCallEvent
    {
        public override string MessageId => message.MessageId;

        public override string? Body => message.Body?.ToString();

        public override int DeliveryCount => message.DeliveryCount;

        public override int Attempts => Property(AttemptsProperty) + Math.Max(0, message.DeliveryCount - 1);

        public override DateTimeOffset EnqueuedAt => message.EnqueuedTime;

        // A copy keeps the original's application properties, so a retried event stays in its trace.
        public override string? TraceParent => CallTrace.Extract(message.ApplicationProperties);

        public override Task CompleteAsync(CancellationToken cancellationToken) =>
            receiver.CompleteMessageAsync(message, cancellationToken);

        public override Task AbandonAsync(CancellationToken cancellationToken) =>
            RequeueAsync(Attempts, TimeSpan.Zero, cancellationToken);

        public override Task RetryLaterAsync(TimeSpan delay, CancellationToken cancellationToken) =>
            RequeueAsync(Attempts + 1, delay, cancellationToken);

        public override Task DeadLetterAsync(string reason, string description, CancellationToken cancellationToken) =>
            receiver.DeadLetterMessageAsync(message, Clip(reason), Clip(description), cancellationToken);

        private async Task RequeueAsync(int attempts, TimeSpan delay, CancellationToken cancellationToken)
        {
            var requeues = Property(RequeuesProperty) + 1;
            var originalId = message.ApplicationProperties.TryGetValue(OriginalIdProperty, out var id) && id is string s ? s : message.MessageId;
            var copy = new ServiceBusMessage(message)
            {
                MessageId = CopyId(originalId, requeues),
                ScheduledEnqueueTime = time.GetUtcNow() + delay,
            };
            copy.ApplicationProperties[AttemptsProperty] = attempts;
            copy.ApplicationProperties[RequeuesProperty] = requeues;
            copy.ApplicationProperties[OriginalIdProperty] = originalId;
            // Copy first: if completing then fails, the original comes back and its copy is sent under the same id again.
            await sender.SendMessageAsync(copy, cancellationToken);
            await receiver.CompleteMessageAsync(message, cancellationToken);
        }

        private int Property(string name) =>
            message.ApplicationProperties.TryGetValue(name, out var value) && value is int n ? n : 0;

        private static string Clip(string text) => text.Length <= MaxDeadLetterText ? text : text[..MaxDeadLetterText];
    }
}

internal static class CallEventKinds
{
    public static string ToWire(CallEventKind kind) => kind switch
    {
        CallEventKind.CallStatus => "call-status",
        CallEventKind.RecordingStatus => "recording-status",
        CallEventKind.Disposition => "disposition",
        CallEventKind.Disclosure => "disclosure",
        CallEventKind.VoicemailDrop => "voicemail-drop",
        CallEventKind.ServerEnded => "server-ended",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown event kind."),
    };
}
