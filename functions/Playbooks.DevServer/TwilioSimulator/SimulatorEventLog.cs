namespace Playbooks.DevServer.TwilioSimulator;

/// <summary>One thing the simulator did: a call created, TwiML fetched, a callback sent and how we answered it...</summary>
internal sealed record SimulatorEvent
{
    public long Id { get; init; }

    public DateTimeOffset At { get; init; }

    /// <summary>call-created, twiml-requested, twiml-received, twiml-failed, verb-ignored, say, play, gather, gather-timeout, status-changed, callback-sent, callback-failed, digits, hangup, bridged (a &lt;Dial&gt; connected its &lt;Number&gt;), rest-request.</summary>
    public required string Kind { get; init; }

    public string? CallSid { get; init; }

    public string? ParentCallSid { get; init; }

    public string? Url { get; init; }

    public string? Method { get; init; }

    public IReadOnlyDictionary<string, string>? Params { get; init; }

    /// <summary>The HTTP status our side answered with.</summary>
    public int? Status { get; init; }

    public int? Attempt { get; init; }

    public string? Body { get; init; }

    public string? Detail { get; init; }
}

/// <summary>The last <c>capacity</c> events, oldest first.</summary>
internal sealed class SimulatorEventLog(int capacity, TimeProvider time)
{
    private readonly Queue<SimulatorEvent> _events = new();
    private readonly Lock _gate = new();
    private long _nextId;

    public void Add(SimulatorEvent entry)
    {
        lock (_gate)
        {
            _events.Enqueue(entry with { Id = ++_nextId, At = time.GetUtcNow() });
            while (_events.Count > capacity)
            {
                _events.Dequeue();
            }
        }
    }

    /// <summary>Events of a call (and of its child legs) or all, newest last; <paramref name="afterId"/> pages forward.</summary>
    public IReadOnlyList<SimulatorEvent> Read(string? callSid = null, long afterId = 0)
    {
        lock (_gate)
        {
            return _events
                .Where(e => e.Id > afterId && (callSid is null || e.CallSid == callSid || e.ParentCallSid == callSid))
                .ToList();
        }
    }
}
