using Azure.Messaging.ServiceBus;
using Playbooks.Calling.Activity;

namespace Playbooks.Calling.CallEvents;

/// <summary>
/// Publishes to the Service Bus queue. The MessageId comes from <see cref="CallEventMessageId"/>, so the queue's
/// duplicate detection drops a callback Twilio delivered twice.
/// </summary>
public sealed class ServiceBusCallEventPublisher(ServiceBusSender sender) : ICallEventPublisher
{
    public Task PublishAsync(CallEventMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var queued = new ServiceBusMessage(CallEventSerializer.Serialize(message))
        {
            MessageId = CallEventMessageId.For(message),
            ContentType = "application/json",
            Subject = CallEventKinds.ToWire(message.Kind),
        };
        return sender.SendMessageAsync(queued, cancellationToken);
    }
}

/// <summary>Receives peek-locked batches from the Service Bus queue.</summary>
public sealed class ServiceBusCallEventSource(ServiceBusReceiver receiver) : ICallEventSource
{
    // Service Bus caps a dead-letter reason and description at 4096 characters each.
    private const int MaxDeadLetterText = 4096;

    public async Task<IReadOnlyList<LeasedCallEvent>> ReceiveAsync(int maxMessages, TimeSpan maxWait, CancellationToken cancellationToken)
    {
        var messages = await receiver.ReceiveMessagesAsync(maxMessages, maxWait, cancellationToken);
        return messages.Select(m => (LeasedCallEvent)new Leased(receiver, m)).ToList();
    }

    private sealed class Leased(ServiceBusReceiver receiver, ServiceBusReceivedMessage message) : LeasedCallEvent
    {
        public override string MessageId => message.MessageId;

        public override string? Body => message.Body?.ToString();

        public override int DeliveryCount => message.DeliveryCount;

        public override DateTimeOffset EnqueuedAt => message.EnqueuedTime;

        public override Task CompleteAsync(CancellationToken cancellationToken) =>
            receiver.CompleteMessageAsync(message, cancellationToken);

        public override Task AbandonAsync(CancellationToken cancellationToken) =>
            receiver.AbandonMessageAsync(message, null, cancellationToken);

        public override Task DeadLetterAsync(string reason, string description, CancellationToken cancellationToken) =>
            receiver.DeadLetterMessageAsync(message, Clip(reason), Clip(description), cancellationToken);

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
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown event kind."),
    };
}
