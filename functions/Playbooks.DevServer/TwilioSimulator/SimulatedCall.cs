using System.Text;
using System.Threading.Channels;

namespace Playbooks.DevServer.TwilioSimulator;

/// <summary>Twilio's CallStatus values.</summary>
internal static class CallStatuses
{
    public const string Queued = "queued";
    public const string Initiated = "initiated";
    public const string Ringing = "ringing";
    public const string InProgress = "in-progress";
    public const string Completed = "completed";
    public const string Busy = "busy";
    public const string NoAnswer = "no-answer";
    public const string Failed = "failed";
    public const string Canceled = "canceled";

    public static bool IsTerminal(string status) => status is Completed or Busy or NoAnswer or Failed or Canceled;

    /// <summary>The statusCallbackEvent that asks for a status (answered for in-progress, completed for every end).</summary>
    public static string EventFor(string status) => status switch
    {
        InProgress => "answered",
        _ when IsTerminal(status) => "completed",
        _ => status,
    };
}

/// <summary>
/// One call leg in the simulated network: the browser's or rep phone's parent leg, or the prospect's child leg.
/// Its state changes only through <see cref="SimulatedTwilio"/>, under the call's lock.
/// </summary>
internal sealed class SimulatedCall(string sid, string accountSid, string from, string to, string direction, CallClock clock)
{
    private readonly CancellationTokenSource _hangup = new();
    private readonly CancellationTokenSource _redirect = new();
    private readonly StringBuilder _digits = new();
    private readonly Channel<char> _keypad = Channel.CreateUnbounded<char>();
    private readonly TaskCompletionSource _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _nextSequence;

    public string Sid { get; } = sid;

    public string AccountSid { get; } = accountSid;

    public string? ParentSid { get; init; }

    public string From { get; } = from;

    public string To { get; } = to;

    /// <summary>inbound (browser), outbound-api (REST) or outbound-dial (a &lt;Dial&gt;ed number).</summary>
    public string Direction { get; } = direction;

    public CallClock Clock { get; } = clock;

    public DateTimeOffset CreatedAt { get; } = clock.Now;

    public Lock Gate { get; } = new();

    public string Status { get; set; } = CallStatuses.Queued;

    public DateTimeOffset? AnsweredAt { get; set; }

    public DateTimeOffset? EndedAt { get; set; }

    /// <summary>When this phone's owner hangs up on their own (a magic number), in simulated time.</summary>
    public DateTimeOffset? HangsUpAt { get; set; }

    public StatusSubscription? StatusCallback { get; init; }

    /// <summary>The TwiML to fetch when a REST call is answered (Url and Method), or inline TwiML.</summary>
    public string? VoiceUrl { get; init; }

    public string VoiceMethod { get; init; } = "POST";

    public string? InlineTwiml { get; init; }

    public int RingTimeoutSeconds { get; init; } = 60;

    public string? ChildSid { get; set; }

    public string? Error { get; set; }

    public string Digits
    {
        get
        {
            lock (Gate)
            {
                return _digits.ToString();
            }
        }
    }

    /// <summary>Signalled when someone asks this leg to hang up (END, REST update, the browser).</summary>
    public CancellationToken HangupRequested => _hangup.Token;

    public bool IsEnded => CallStatuses.IsTerminal(Status);

    /// <summary>Whole seconds from answer to end; 0 for a leg never answered; null while it lasts.</summary>
    public int? DurationSeconds =>
        EndedAt is not { } ended ? null
        : AnsweredAt is { } answered ? (int)Math.Round((ended - answered).TotalSeconds, MidpointRounding.AwayFromZero)
        : 0;

    /// <summary>Completes when the leg reaches a terminal status.</summary>
    public Task Ended => _ended.Task;

    public void MarkEnded() => _ended.TrySetResult();

    public int NextSequenceNumber() => Interlocked.Increment(ref _nextSequence) - 1;

    public void AppendDigits(string digits)
    {
        lock (Gate)
        {
            _digits.Append(digits);
            foreach (var key in digits.Where(k => k != 'w'))
            {
                _keypad.Writer.TryWrite(key);
            }
        }
    }

    /// <summary>Keys pressed and not yet read by a &lt;Gather&gt;.</summary>
    public ChannelReader<char> Keypad => _keypad.Reader;

    /// <summary>Forgets keys pressed before a &lt;Gather&gt; started listening, as Twilio does.</summary>
    public void ClearKeypad()
    {
        while (_keypad.Reader.TryRead(out _))
        {
        }
    }

    /// <summary>TwiML a REST update gave this leg (<c>Twiml</c>): it replaces what the leg was doing.</summary>
    public IReadOnlyList<TwimlVerb>? RedirectedTo { get; private set; }

    /// <summary>Signalled when a REST update redirects this leg to new TwiML.</summary>
    public CancellationToken RedirectRequested => _redirect.Token;

    public void Redirect(IReadOnlyList<TwimlVerb> verbs)
    {
        lock (Gate)
        {
            RedirectedTo = verbs;
        }

        try
        {
            _redirect.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Already over.
        }
    }

    public void RequestHangup()
    {
        try
        {
            _hangup.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Already over.
        }
    }
}
