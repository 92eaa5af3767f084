using System.Text.Json;
using Azure;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Playbooks.Calling.Activity;
using Playbooks.Calling.Telemetry;

namespace Playbooks.Calling.CallEvents;

/// <summary>
/// The dev server's queue: an Azure Storage queue (Azurite) standing in for Service Bus. The visibility timeout is
/// the lock, DequeueCount the delivery count, and the poison queue the dead-letter queue; a dead-lettered message is
/// kept there as a <see cref="PoisonCallEvent"/> with its reason. There is no duplicate detection: the merge absorbs replays.
/// A message queued inside a traced span is wrapped in a <see cref="RetryEnvelope"/> carrying its trace context.
/// </summary>
public sealed class StorageQueueCallEvents(QueueClient queue, QueueClient poison, TimeSpan lease) : ICallEventPublisher, ICallEventSource
{
    // A Storage queue hands out at most 32 messages per receive.
    private const int MaxBatch = 32;

    public QueueClient Queue => queue;

    public QueueClient PoisonQueue => poison;

    /// <summary>Storage queues need the clients to use base64 so any payload survives, and Functions' queue tooling expects it.</summary>
    public static QueueClientOptions ClientOptions => new() { MessageEncoding = QueueMessageEncoding.Base64 };

    public async Task CreateIfNotExistsAsync(CancellationToken cancellationToken)
    {
        await queue.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        await poison.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
    }

    public async Task PublishAsync(CallEventMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        using var span = CallTrace.StartPublish(message);
        var body = CallEventSerializer.Serialize(message);
        if (CallTrace.CurrentTraceParent() is { } traceParent)
        {
            body = new RetryEnvelope(0, 0, body) { TraceParent = traceParent }.Write();
        }
        try
        {
            await queue.SendMessageAsync(body, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            await CreateIfNotExistsAsync(cancellationToken);
            await queue.SendMessageAsync(body, cancellationToken);
        }
    }

    /// <summary>
    /// Answers at once: Storage queues have no long polling, so <paramref name="maxWait"/> is not used. A queue hands out
    /// at most 32 messages per call; for more, the first call's 32 are followed by the rest in parallel calls (only when
    /// the first came back full, so an idle queue costs one call).
    /// </summary>
    public async Task<IReadOnlyList<LeasedCallEvent>> ReceiveAsync(int maxMessages, TimeSpan maxWait, CancellationToken cancellationToken)
    {
        var wanted = Math.Max(1, maxMessages);
        var first = await ReceiveUpToAsync(Math.Min(wanted, MaxBatch), cancellationToken);
        if (first.Length < MaxBatch || wanted <= MaxBatch)
        {
            return first.Select(m => (LeasedCallEvent)new Leased(this, m)).ToList();
        }

        var more = await Task.WhenAll(Enumerable.Range(0, (wanted - MaxBatch + MaxBatch - 1) / MaxBatch)
            .Select(i => ReceiveUpToAsync(Math.Min(MaxBatch, wanted - MaxBatch * (i + 1)), cancellationToken)));
        return first.Concat(more.SelectMany(m => m)).Select(m => (LeasedCallEvent)new Leased(this, m)).ToList();
    }

    private async Task<QueueMessage[]> ReceiveUpToAsync(int count, CancellationToken cancellationToken)
    {
        try
        {
            return (await queue.ReceiveMessagesAsync(count, lease, cancellationToken)).Value;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            await CreateIfNotExistsAsync(cancellationToken);
            return [];
        }
    }

    private sealed class Leased(StorageQueueCallEvents owner, QueueMessage message) : LeasedCallEvent
    {
        private readonly RetryEnvelope envelope = RetryEnvelope.Read(message.Body?.ToString());

        public override string MessageId => message.MessageId;

        public override string? Body => envelope.Payload;

        public override int DeliveryCount => (int)Math.Min(message.DequeueCount, int.MaxValue);

        // Every receive raises DequeueCount; those we settled by handing back or retrying are not lost leases.
        public override int Attempts => envelope.Attempts + Math.Max(0, DeliveryCount - 1 - envelope.HandedBack);

        public override DateTimeOffset EnqueuedAt => message.InsertedOn ?? DateTimeOffset.MinValue;

        public override string? TraceParent => envelope.TraceParent;

        public override Task CompleteAsync(CancellationToken cancellationToken) =>
            owner.Queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken);

        public override Task AbandonAsync(CancellationToken cancellationToken) =>
            HandBackAsync(Attempts, TimeSpan.Zero, cancellationToken);

        public override Task RetryLaterAsync(TimeSpan delay, CancellationToken cancellationToken) =>
            HandBackAsync(Attempts + 1, delay, cancellationToken);

        public override async Task DeadLetterAsync(string reason, string description, CancellationToken cancellationToken)
        {
            var dead = new PoisonCallEvent(message.MessageId, reason, description, DeliveryCount, envelope.Payload);
            // Kept until someone deals with it, like a Service Bus dead-letter queue.
            await owner.PoisonQueue.SendMessageAsync(
                BinaryData.FromString(JsonSerializer.Serialize(dead, PlaybooksJson.Options)), timeToLive: TimeSpan.FromSeconds(-1), cancellationToken: cancellationToken);
            await owner.Queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken);
        }

        // The visibility timeout is the wait; the envelope carries the attempt count, which the queue cannot.
        private Task HandBackAsync(int attempts, TimeSpan delay, CancellationToken cancellationToken)
        {
            var next = new RetryEnvelope(attempts, DeliveryCount, envelope.Payload) { TraceParent = envelope.TraceParent };
            return owner.Queue.UpdateMessageAsync(message.MessageId, message.PopReceipt, BinaryData.FromString(next.Write()), delay, cancellationToken);
        }
    }
}

/// <summary>
/// A Storage-queue message handed back by the writer: the original payload with the attempts it has failed and the
/// deliveries that were settled by handing back (so a lost lease can be told from a hand-back), and the trace context
/// of the span that queued it (also for a first delivery, with no attempts yet).
/// </summary>
internal sealed record RetryEnvelope(int Attempts, int HandedBack, string? Payload)
{
    private const string Marker = "playbooksRetry";

    public string? TraceParent { get; init; }

    public static RetryEnvelope Read(string? text)
    {
        if (text is null || !text.Contains(Marker, StringComparison.Ordinal)) return new RetryEnvelope(0, 0, text);
        try
        {
            using var json = JsonDocument.Parse(text);
            if (json.RootElement.ValueKind == JsonValueKind.Object
                && json.RootElement.TryGetProperty(Marker, out var retry)
                && retry.TryGetProperty("attempts", out var attempts) && attempts.TryGetInt32(out var a)
                && retry.TryGetProperty("handedBack", out var handedBack) && handedBack.TryGetInt32(out var h)
                && json.RootElement.TryGetProperty("payload", out var payload) && payload.ValueKind == JsonValueKind.String)
            {
                return new RetryEnvelope(a, h, payload.GetString())
                {
                    TraceParent = json.RootElement.TryGetProperty(CallTrace.TraceParentProperty, out var trace) && trace.ValueKind == JsonValueKind.String
                        ? trace.GetString()
                        : null,
                };
            }
        }
        catch (JsonException)
        {
        }

        return new RetryEnvelope(0, 0, text);
    }

    public string Write()
    {
        var envelope = new Dictionary<string, object?>
        {
            [Marker] = new Dictionary<string, int> { ["attempts"] = Attempts, ["handedBack"] = HandedBack },
            ["payload"] = Payload,
        };
        if (TraceParent is not null)
        {
            envelope[CallTrace.TraceParentProperty] = TraceParent;
        }

        return JsonSerializer.Serialize(envelope, PlaybooksJson.Options);
    }
}

/// <summary>A dead-lettered call event in the poison queue: the original payload and why it was given up on.</summary>
public sealed record PoisonCallEvent(string MessageId, string Reason, string Description, int DeliveryCount, string? Body)
{
    public static PoisonCallEvent? Parse(string text) => JsonSerializer.Deserialize<PoisonCallEvent>(text, PlaybooksJson.Options);
}
