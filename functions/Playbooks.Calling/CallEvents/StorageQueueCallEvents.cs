using System.Text.Json;
using Azure;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Playbooks.Calling.Activity;
using Playbooks.Calling.Telemetry;

namespace Playbooks.Calling.CallEvents;

/// <summary>
/// The dev server's queue: an Azure Storage queue (Azurite) standing in for Service Bus. The visibility timeout is
/// the lock, DequeueCount the delivery count, and the poison queue the dead-letter queue; a dead-lettered event is
/// kept there as a <see cref="PoisonCallEvent"/> with its reason. There is no duplicate detection: the merge absorbs replays.
/// <para>
/// Publishing is a group commit: events published while a send is in flight wait for the next send and travel in one
/// message (<see cref="CallEventPack"/>, at most <c>maxEventsPerMessage</c> events and well under the 64 KB limit), with up
/// to <c>maxSendsInFlight</c> sends at once; a publish with nothing in flight is sent at once. Every publisher returns
/// only once the message holding its event is stored, and a failed send fails every publisher in it.
/// </para>
/// <para>
/// Receiving unpacks each message into one <see cref="LeasedCallEvent"/> per event, each settled on its own; the message
/// is settled once all of its events are (<see cref="PackedQueueMessage"/>).
/// </para>
/// </summary>
public sealed class StorageQueueCallEvents : ICallEventPublisher, ICallEventSource
{
    /// <summary>The largest pack body in bytes: base64 makes it 4/3 longer, still well under the queue's 64 KB.</summary>
    public const int MaxPackBytes = 40 * 1024;

    // A Storage queue hands out at most 32 messages per receive.
    private const int MaxBatch = 32;

    private readonly int maxEventsPerMessage;
    private readonly int maxSendsInFlight;
    private readonly Lock gate = new();
    private readonly Queue<PendingEvent> waiting = new();
    private int sending;

    // Events per message in the last receive, so the next asks the queue for about as many messages as it needs.
    private double eventsPerMessage = 1;

    public StorageQueueCallEvents(QueueClient queue, QueueClient poison, TimeSpan lease, int maxEventsPerMessage = 64, int maxSendsInFlight = 4)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxEventsPerMessage, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxSendsInFlight, 1);
        Queue = queue;
        PoisonQueue = poison;
        Lease = lease;
        this.maxEventsPerMessage = maxEventsPerMessage;
        this.maxSendsInFlight = maxSendsInFlight;
    }

    public QueueClient Queue { get; }

    public QueueClient PoisonQueue { get; }

    /// <summary>How long a received message stays hidden from other receivers.</summary>
    public TimeSpan Lease { get; }

    /// <summary>Storage queues need the clients to use base64 so any payload survives, and Functions' queue tooling expects it.</summary>
    public static QueueClientOptions ClientOptions => new() { MessageEncoding = QueueMessageEncoding.Base64 };

    public async Task CreateIfNotExistsAsync(CancellationToken cancellationToken)
    {
        await Queue.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        await PoisonQueue.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
    }

    /// <summary>
    /// Returns once the message holding the event is stored. Cancelling stops the wait, not the send: an event may be
    /// queued although its publisher gave up, which the merge absorbs like any replay.
    /// </summary>
    public async Task PublishAsync(CallEventMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        using var span = CallTrace.StartPublish(message);
        var pending = new PendingEvent(new PackedEvent(
            CallEventMessageId.For(message), 0, 0, CallEventSerializer.Serialize(message), CallTrace.CurrentTraceParent()));
        bool send;
        lock (gate)
        {
            waiting.Enqueue(pending);
            send = sending < maxSendsInFlight;
            if (send) sending++;
        }

        if (send) _ = SendWhileWaitingAsync();
        await pending.Stored.Task.WaitAsync(cancellationToken);
    }

    /// <summary>One of the sends in flight: sends what is waiting, as long as anything is.</summary>
    private async Task SendWhileWaitingAsync()
    {
        for (var first = true; ; first = false)
        {
            List<PendingEvent> batch;
            lock (gate)
            {
                batch = TakeWaiting();
                if (batch.Count == 0)
                {
                    sending--;
                    return;
                }
            }

            // The first send belongs to the publisher that started it; later ones to no one's span.
            if (!first) System.Diagnostics.Activity.Current = null;
            try
            {
                await SendAsync(batch.Count == 1
                    ? CallEventPack.Write([batch[0].Event with { Id = null }])
                    : CallEventPack.Write(batch.Select(p => p.Json).ToList()));
                foreach (var p in batch) p.Stored.TrySetResult();
            }
            catch (Exception e)
            {
                foreach (var p in batch) p.Stored.TrySetException(e);
            }
        }
    }

    /// <summary>The waiting events, oldest first, up to the cap per message and the size limit (always at least one).</summary>
    private List<PendingEvent> TakeWaiting()
    {
        var batch = new List<PendingEvent>();
        var bytes = CallEventPack.Overhead(0);
        while (batch.Count < maxEventsPerMessage && waiting.TryPeek(out var next)
            && (batch.Count == 0 || bytes + next.Json.Length + 1 <= MaxPackBytes))
        {
            batch.Add(waiting.Dequeue());
            bytes += next.Json.Length + 1;
        }

        return batch;
    }

    private async Task SendAsync(BinaryData body)
    {
        // Not cancellable: other publishers wait on this send.
        try
        {
            await Queue.SendMessageAsync(body, visibilityTimeout: null, timeToLive: null, CancellationToken.None);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            await CreateIfNotExistsAsync(CancellationToken.None);
            await Queue.SendMessageAsync(body, visibilityTimeout: null, timeToLive: null, CancellationToken.None);
        }
    }

    /// <summary>
    /// About <paramref name="maxMessages"/> events, each leased on its own. Answers at once: Storage queues have no long
    /// polling, so <paramref name="maxWait"/> is not used. A queue hands out at most 32 messages per call; the first call
    /// asks for about as many messages as the wanted events need (judged by the last receive), and only when it came back
    /// full and short of events do more calls follow, in parallel (so an idle queue costs one call). A message is never
    /// split between batches (that would cost a rewrite and a second delivery), so its last message may take a batch past
    /// <paramref name="maxMessages"/> by less than one pack; whole messages received beyond it are handed back at once
    /// without spending an attempt.
    /// </summary>
    public async Task<IReadOnlyList<LeasedCallEvent>> ReceiveAsync(int maxMessages, TimeSpan maxWait, CancellationToken cancellationToken)
    {
        var wanted = Math.Max(1, maxMessages);
        var ask = (int)Math.Clamp(Math.Ceiling(wanted / Volatile.Read(ref eventsPerMessage)), 1, MaxBatch);
        var messages = (await ReceiveUpToAsync(ask, cancellationToken)).Select(m => new PackedQueueMessage(this, m)).ToList();
        var events = messages.Sum(m => m.Count);
        if (messages.Count == ask && events < wanted)
        {
            var more = (int)Math.Min(wanted - events, Math.Ceiling((wanted - events) / ((double)events / messages.Count)));
            var received = await Task.WhenAll(Enumerable.Range(0, (more + MaxBatch - 1) / MaxBatch)
                .Select(i => ReceiveUpToAsync(Math.Min(MaxBatch, more - MaxBatch * i), cancellationToken)));
            messages.AddRange(received.SelectMany(r => r).Select(m => new PackedQueueMessage(this, m)));
            events = messages.Sum(m => m.Count);
        }

        if (messages.Count > 0) Volatile.Write(ref eventsPerMessage, (double)events / messages.Count);
        var leased = new List<LeasedCallEvent>(events);
        var surplus = new List<Task>();
        foreach (var message in messages)
        {
            var take = leased.Count < wanted ? message.Count : 0;
            leased.AddRange(message.Lease(take));
            if (take == 0) surplus.Add(message.Settled);
        }

        try
        {
            await Task.WhenAll(surplus);
        }
        catch (Exception)
        {
            // A message that could not be handed back comes back when its lease runs out.
        }

        return leased;
    }

    private async Task<QueueMessage[]> ReceiveUpToAsync(int count, CancellationToken cancellationToken)
    {
        try
        {
            return (await Queue.ReceiveMessagesAsync(count, Lease, cancellationToken)).Value;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            await CreateIfNotExistsAsync(cancellationToken);
            return [];
        }
    }

    /// <summary>A published event waiting for the message that carries it to be stored.</summary>
    private sealed class PendingEvent(PackedEvent e)
    {
        public PackedEvent Event => e;

        public byte[] Json { get; } = e.ToJson();

        public TaskCompletionSource Stored { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
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
                && retry.ValueKind == JsonValueKind.Object
                && retry.TryGetProperty("attempts", out var attempts) && attempts.ValueKind == JsonValueKind.Number && attempts.TryGetInt32(out var a)
                && retry.TryGetProperty("handedBack", out var handedBack) && handedBack.ValueKind == JsonValueKind.Number && handedBack.TryGetInt32(out var h)
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
