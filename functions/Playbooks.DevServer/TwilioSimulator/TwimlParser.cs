using System.Globalization;
using System.Xml;
using System.Xml.Linq;

namespace Playbooks.DevServer.TwilioSimulator;

/// <summary>Reads a TwiML document into verbs, with Twilio's defaults for attributes left out.</summary>
internal static class TwimlParser
{
    public const int DefaultDialTimeout = 30;

    public const int DefaultTimeLimit = 14400;

    public const int DefaultGatherTimeout = 5;

    /// <summary>Twilio's default &lt;Record maxLength&gt;: one hour.</summary>
    public const int DefaultRecordMaxLength = 3600;

    private static readonly HashSet<string> RecordModes =
    [
        DialVerb.DoNotRecord, "record-from-answer", "record-from-ringing", "record-from-answer-dual", "record-from-ringing-dual",
    ];

    /// <summary>The verbs, or why the document is not TwiML (Twilio's error 12100).</summary>
    public static (IReadOnlyList<TwimlVerb>? Verbs, string? Error) Parse(string? xml)
    {
        XDocument document;
        try
        {
            using var reader = XmlReader.Create(new StringReader(xml ?? ""), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit });
            document = XDocument.Load(reader);
        }
        catch (XmlException ex)
        {
            return (null, $"The TwiML is not well-formed XML: {ex.Message}");
        }

        if (document.Root is not { Name.LocalName: "Response" } root)
        {
            return (null, "The TwiML's root element must be <Response>.");
        }

        try
        {
            return (root.Elements().Select(Verb).ToList(), null);
        }
        catch (FormatException ex)
        {
            return (null, ex.Message);
        }
    }

    private static TwimlVerb Verb(XElement element) => element.Name.LocalName switch
    {
        "Say" => new SayVerb(element.Value.Trim()),
        "Pause" => new PauseVerb(Number(element, "length") ?? 1),
        "Hangup" => new HangupVerb(),
        "Reject" => new RejectVerb(Attribute(element, "reason") ?? "rejected"),
        "Dial" => Dial(element),
        "Gather" => Gather(element),
        "Play" => new PlayVerb(element.Value.Trim(), (int)(Number(element, "loop") ?? 1)),
        "Record" => new RecordVerb(
            (int)(Number(element, "maxLength") ?? DefaultRecordMaxLength),
            !string.Equals(Attribute(element, "playBeep"), "false", StringComparison.OrdinalIgnoreCase),
            Attribute(element, "action"),
            (Attribute(element, "method") ?? "POST").ToUpperInvariant()),
        var name => new UnknownVerb(name),
    };

    private static GatherVerb Gather(XElement gather)
    {
        var finishOnKey = Attribute(gather, "finishOnKey") ?? "#";
        if (finishOnKey.Length > 1 || (finishOnKey.Length == 1 && !"0123456789*#".Contains(finishOnKey[0])))
        {
            throw new FormatException($"<Gather finishOnKey=\"{finishOnKey}\"> must be one of 0-9, * or #, or empty.");
        }

        var numDigits = Number(gather, "numDigits");
        if (numDigits is < 1)
        {
            throw new FormatException("<Gather numDigits> must be at least 1.");
        }

        return new GatherVerb(
            NumDigits: numDigits is { } n ? (int)n : null,
            TimeoutSeconds: Number(gather, "timeout") ?? DefaultGatherTimeout,
            FinishOnKey: finishOnKey,
            Action: Attribute(gather, "action"),
            Method: (Attribute(gather, "method") ?? "POST").ToUpperInvariant(),
            Nested: gather.Elements().Select(Verb).ToList());
    }

    private static DialVerb Dial(XElement dial)
    {
        var record = (Attribute(dial, "record") ?? DialVerb.DoNotRecord).ToLowerInvariant() switch
        {
            "true" => "record-from-answer",
            "false" => DialVerb.DoNotRecord,
            var mode when RecordModes.Contains(mode) => mode,
            var mode => throw new FormatException($"<Dial record=\"{mode}\"> is not a recording mode Twilio knows."),
        };

        var numbers = dial.Elements().Where(e => e.Name.LocalName == "Number")
            .Select(n => new DialNumber(n.Value.Trim(), Subscription(n, "statusCallback", "statusCallbackMethod", "statusCallbackEvent", "completed"))
            {
                Url = Attribute(n, "url") is { Length: > 0 } url ? url : null,
                UrlMethod = (Attribute(n, "method") ?? "POST").ToUpperInvariant(),
            })
            .ToList();
        if (numbers.Count == 0 && !dial.HasElements && dial.Value.Trim() is { Length: > 0 } bare)
        {
            numbers.Add(new DialNumber(bare, null));
        }

        return new DialVerb(
            CallerId: Attribute(dial, "callerId"),
            AnswerOnBridge: string.Equals(Attribute(dial, "answerOnBridge"), "true", StringComparison.OrdinalIgnoreCase),
            Record: record,
            RecordingStatusCallback: Subscription(dial, "recordingStatusCallback", "recordingStatusCallbackMethod", "recordingStatusCallbackEvent", "completed"),
            TimeoutSeconds: (int)(Number(dial, "timeout") ?? DefaultDialTimeout),
            TimeLimitSeconds: (int)(Number(dial, "timeLimit") ?? DefaultTimeLimit),
            Action: Attribute(dial, "action"),
            Numbers: numbers,
            IgnoredNouns: dial.Elements().Where(e => e.Name.LocalName != "Number").Select(e => e.Name.LocalName).ToList());
    }

    private static StatusSubscription? Subscription(XElement element, string url, string method, string events, string defaultEvents) =>
        Attribute(element, url) is { Length: > 0 } target
            ? new StatusSubscription(target, (Attribute(element, method) ?? "POST").ToUpperInvariant(), StatusSubscription.ParseEvents(Attribute(element, events), defaultEvents))
            : null;

    private static string? Attribute(XElement element, string name) => element.Attribute(name)?.Value;

    private static double? Number(XElement element, string name) =>
        Attribute(element, name) is { } text
            ? double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= 0
                ? value
                : throw new FormatException($"<{element.Name.LocalName} {name}=\"{text}\"> is not a number of seconds.")
            : null;
}
