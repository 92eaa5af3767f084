using System.Text;
using System.Text.Json;
using Playbooks.Calling.Telemetry;

namespace Playbooks.Calling.CallEvents;

/// <summary>
/// One call event inside a Storage-queue message, with its own retry state: the attempts it has failed, the delivery
/// count at which it was last handed back by the writer (so a lost lease can be told from a hand-back), and the trace
/// context of the span that queued it. <see cref="Id"/> names a packed event (<see cref="Activity.CallEventMessageId"/>);
/// an event read from a single-event message has none and is known by the queue message's id.
/// </summary>
internal sealed record PackedEvent(string? Id, int Attempts, int HandedBack, string? Payload, string? TraceParent)
{
    /// <summary>The event as an element of a pack's <c>events</c> array.</summary>
    public byte[] ToJson()
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            if (Id is not null) json.WriteString("id", Id);
            json.WriteNumber("attempts", Attempts);
            json.WriteNumber("handedBack", HandedBack);
            if (TraceParent is not null) json.WriteString(CallTrace.TraceParentProperty, TraceParent);
            json.WriteString("payload", Payload);
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }
}

/// <summary>
/// The body of a Storage-queue call-event message. Several events published at the same time travel in one message,
/// a versioned pack <c>{"playbooksPack":1,"events":[{"id","attempts","handedBack","traceparent","payload"}, ...]}</c>;
/// one event alone is written the way single-event messages always were (the bare payload, or a
/// <see cref="RetryEnvelope"/> when it carries attempts or a trace context), and both forms are read.
/// </summary>
internal static class CallEventPack
{
    public const string Marker = "playbooksPack";
    public const int Version = 1;

    private static readonly byte[] Prefix = Encoding.UTF8.GetBytes($"{{\"{Marker}\":{Version},\"events\":[");
    private static readonly byte[] Suffix = "]}"u8.ToArray();

    /// <summary>The bytes a pack adds around its events' JSON (and one comma between two of them).</summary>
    public static int Overhead(int events) => Prefix.Length + Suffix.Length + Math.Max(0, events - 1);

    /// <summary>The events of a message body; a body that is no pack is one event (whose payload the writer judges).</summary>
    public static IReadOnlyList<PackedEvent> Read(string? text)
    {
        if (text is not null && text.Contains(Marker, StringComparison.Ordinal) && TryReadPack(text) is { } events)
        {
            return events;
        }

        var single = RetryEnvelope.Read(text);
        return [new PackedEvent(null, single.Attempts, single.HandedBack, single.Payload, single.TraceParent)];
    }

    /// <summary>One event without an id in the single-event form, anything else as a pack.</summary>
    public static BinaryData Write(IReadOnlyList<PackedEvent> events)
    {
        if (events is [{ Id: null } single])
        {
            return BinaryData.FromString(single is { Attempts: 0, HandedBack: 0, TraceParent: null }
                ? single.Payload ?? ""
                : new RetryEnvelope(single.Attempts, single.HandedBack, single.Payload) { TraceParent = single.TraceParent }.Write());
        }

        return Write(events.Select(e => e.ToJson()).ToList());
    }

    /// <summary>A pack of events already written as JSON (<see cref="PackedEvent.ToJson"/>).</summary>
    public static BinaryData Write(IReadOnlyList<byte[]> events)
    {
        var body = new byte[Overhead(events.Count) + events.Sum(e => e.Length)];
        var at = 0;
        void Append(byte[] bytes)
        {
            bytes.CopyTo(body, at);
            at += bytes.Length;
        }

        Append(Prefix);
        for (var i = 0; i < events.Count; i++)
        {
            if (i > 0) body[at++] = (byte)',';
            Append(events[i]);
        }

        Append(Suffix);
        return BinaryData.FromBytes(body);
    }

    private static List<PackedEvent>? TryReadPack(string text)
    {
        try
        {
            using var json = JsonDocument.Parse(text);
            var root = json.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || Number(root, Marker) != Version
                || !root.TryGetProperty("events", out var array) || array.ValueKind != JsonValueKind.Array || array.GetArrayLength() == 0)
            {
                return null;
            }

            var events = new List<PackedEvent>(array.GetArrayLength());
            foreach (var e in array.EnumerateArray())
            {
                if (e.ValueKind != JsonValueKind.Object
                    || Number(e, "attempts") is not { } a || Number(e, "handedBack") is not { } h
                    || !e.TryGetProperty("payload", out var payload) || payload.ValueKind is not (JsonValueKind.String or JsonValueKind.Null))
                {
                    return null;
                }

                events.Add(new PackedEvent(
                    Text(e, "id"), a, h, payload.GetString(), Text(e, CallTrace.TraceParentProperty)));
            }

            return events;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static int? Number(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var n) ? n : null;

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
