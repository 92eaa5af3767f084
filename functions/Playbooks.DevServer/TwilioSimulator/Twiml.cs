namespace Playbooks.DevServer.TwilioSimulator;

/// <summary>One instruction of a TwiML &lt;Response&gt;, in the order Twilio runs them.</summary>
internal abstract record TwimlVerb(string Name);

internal sealed record SayVerb(string Text) : TwimlVerb("Say");


internal sealed record PauseVerb(double Seconds) : TwimlVerb("Pause");

internal sealed record HangupVerb() : TwimlVerb("Hangup");

internal sealed record RejectVerb(string Reason) : TwimlVerb("Reject");

/// <summary>
/// &lt;Gather&gt; of DTMF: collects digits sent with POST /sim/calls/{sid}/digits while its nested &lt;Say&gt;s play and
/// then for <see cref="TimeoutSeconds"/> after each digit; posts them to <see cref="Action"/> (or the current document's
/// URL), whose TwiML takes over. Without digits the TwiML goes on with the next verb.
/// </summary>
internal sealed record GatherVerb(
    int? NumDigits,
    double TimeoutSeconds,
    string FinishOnKey,
    string? Action,
    string Method,
    IReadOnlyList<TwimlVerb> Nested) : TwimlVerb("Gather");

/// <summary>&lt;Play&gt; of an audio URL, <see cref="Loop"/> times (0 is Twilio's "until hung up", played once here).</summary>
internal sealed record PlayVerb(string Url, int Loop) : TwimlVerb("Play");

/// <summary>&lt;Record&gt;: records the caller for up to <see cref="MaxLengthSeconds"/> and posts the recording to <see cref="Action"/>.</summary>
internal sealed record RecordVerb(int MaxLengthSeconds, bool PlayBeep, string? Action, string Method) : TwimlVerb("Record");

/// <summary>A verb the simulator doesn't act on (Play, Redirect...); logged and skipped.</summary>
internal sealed record UnknownVerb(string VerbName) : TwimlVerb(VerbName);

/// <summary>Who to tell about a leg's progress: a URL, its method and the events asked for (initiated, ringing, answered, completed).</summary>
internal sealed record StatusSubscription(string Url, string Method, IReadOnlySet<string> Events)
{
    public static IReadOnlySet<string> ParseEvents(string? text, string fallback) =>
        (string.IsNullOrWhiteSpace(text) ? fallback : text)
            .Split([' ', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(e => e.ToLowerInvariant())
            .ToHashSet(StringComparer.Ordinal);
}

/// <summary>A &lt;Number&gt;; <see cref="Url"/> is the TwiML (a whisper) run on its leg when it answers, before the bridge.</summary>
internal sealed record DialNumber(string Number, StatusSubscription? StatusCallback)
{
    public string? Url { get; init; }

    public string UrlMethod { get; init; } = "POST";
}

/// <summary>&lt;Dial&gt; with the attributes the simulator honours; numbers beyond the first are logged and not dialed.</summary>
internal sealed record DialVerb(
    string? CallerId,
    bool AnswerOnBridge,
    string Record,
    StatusSubscription? RecordingStatusCallback,
    int TimeoutSeconds,
    int TimeLimitSeconds,
    string? Action,
    IReadOnlyList<DialNumber> Numbers,
    IReadOnlyList<string> IgnoredNouns) : TwimlVerb("Dial")
{
    public const string DoNotRecord = "do-not-record";

    public bool Records => Record != DoNotRecord;

    public bool RecordsFromRinging => Record.StartsWith("record-from-ringing", StringComparison.Ordinal);

    public int RecordingChannels => Record.EndsWith("-dual", StringComparison.Ordinal) ? 2 : 1;
}
