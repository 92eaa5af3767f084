using System.Collections.Frozen;
using PhoneNumbers;
using Playbooks.Calling.Orgs;
using Playbooks.Calling.Storage;

namespace Playbooks.Calling.Recordings;

/// <summary>How an org records calls to one jurisdiction (a country, or a US state or Canadian province).</summary>
public enum JurisdictionRecording
{
    Off,

    /// <summary>The prospect hears the disclosure when they answer; recording starts when the legs are bridged.</summary>
    RecordAfterDisclosure,

    /// <summary>Only where one-party consent is the law: the rep's consent is enough.</summary>
    RecordWithoutDisclosure,
}

/// <summary>What one call to a prospect does about recording.</summary>
public sealed record RecordingDecision(string Jurisdiction, JurisdictionRecording Mode, RecordingMode Channels)
{
    public bool Records => Mode != JurisdictionRecording.Off;

    public bool Discloses => Mode == JurisdictionRecording.RecordAfterDisclosure;

    /// <summary>The &lt;Dial record&gt; this call needs: off, or the org's mono/dual choice.</summary>
    public RecordingMode DialRecording => Records ? Channels : RecordingMode.Off;
}

/// <summary>
/// Decides, per prospect number, whether a call is recorded and whether the prospect is told first. An org's choice for
/// the number's state or province wins, then its choice for the country; with neither, the org-wide recording setting
/// applies and a recorded call is always disclosed.
/// </summary>
public static class RecordingDisclosure
{
    public const string DefaultText = "This call may be recorded for quality and training purposes.";

    public const int MaxTextLength = 300;

    public const int MaxAudioUrlLength = 500;

    public const int MaxJurisdictions = 200;

    public const string NotOnePartyConsent = "recording-disclosure-required";

    /// <summary>
    /// Where recording a call needs only one party's consent. US states not listed (California, Connecticut, Delaware,
    /// Florida, Illinois, Maryland, Massachusetts, Michigan, Montana, Nevada, New Hampshire, Oregon, Pennsylvania and
    /// Washington) require every party's consent; Canada's Criminal Code (s. 184) is one-party for every province.
    /// Everywhere else is treated as all-party until someone adds it here.
    /// </summary>
    public static readonly FrozenSet<string> OnePartyConsent = new[]
    {
        "US-AL", "US-AK", "US-AZ", "US-AR", "US-CO", "US-DC", "US-GA", "US-HI", "US-ID", "US-IN", "US-IA", "US-KS", "US-KY",
        "US-LA", "US-ME", "US-MN", "US-MS", "US-MO", "US-NE", "US-NJ", "US-NM", "US-NY", "US-NC", "US-ND", "US-OH", "US-OK",
        "US-RI", "US-SC", "US-SD", "US-TN", "US-TX", "US-UT", "US-VT", "US-VA", "US-WV", "US-WI", "US-WY",
        "CA", "CA-AB", "CA-BC", "CA-MB", "CA-NB", "CA-NL", "CA-NS", "CA-PE", "CA-ON", "CA-QC", "CA-SK", "CA-NT", "CA-NU", "CA-YT",
    }.ToFrozenSet(StringComparer.Ordinal);

    private static readonly PhoneNumberUtil Phones = PhoneNumberUtil.GetInstance();

    private static readonly Dictionary<string, JurisdictionRecording> Names = new(StringComparer.Ordinal)
    {
        ["off"] = JurisdictionRecording.Off,
        ["record-after-disclosure"] = JurisdictionRecording.RecordAfterDisclosure,
        ["record-without-disclosure"] = JurisdictionRecording.RecordWithoutDisclosure,
    };

    public static string ToWire(JurisdictionRecording mode) => Names.First(p => p.Value == mode).Key;

    public static bool TryParse(string? value, out JurisdictionRecording mode) => Names.TryGetValue(value ?? "", out mode);

    /// <summary>"US-CA" for a Californian number, "CA-ON" for Ontario, the country ("GB") elsewhere; "ZZ" when unknown.</summary>
    public static string JurisdictionOf(string e164)
    {
        if (NanpRegions.RegionOf(e164) is { } region)
        {
            return region;
        }

        try
        {
            return Phones.GetRegionCodeForNumber(Phones.Parse(e164, null)) ?? "ZZ";
        }
        catch (NumberParseException)
        {
            return "ZZ";
        }
    }

    private static string CountryOf(string jurisdiction) => jurisdiction.Split('-')[0];

    public static RecordingDecision Decide(OrgSettings org, string prospectE164)
    {
        var jurisdiction = JurisdictionOf(prospectE164);
        var channels = org.Recording == RecordingMode.Off ? RecordingMode.RecordFromAnswer : org.Recording;
        var chosen = org.RecordingJurisdictions.TryGetValue(jurisdiction, out var own) ? own
            : org.RecordingJurisdictions.TryGetValue(CountryOf(jurisdiction), out var country) ? country
            : null;
        var mode = chosen is not null && TryParse(chosen, out var parsed)
            ? parsed
            : org.Recording == RecordingMode.Off ? JurisdictionRecording.Off : JurisdictionRecording.RecordAfterDisclosure;

        // A stored choice can outlive a change to the one-party list: disclose rather than record silently.
        if (mode == JurisdictionRecording.RecordWithoutDisclosure && !OnePartyConsent.Contains(jurisdiction))
        {
            mode = JurisdictionRecording.RecordAfterDisclosure;
        }

        return new RecordingDecision(jurisdiction, mode, channels);
    }

    /// <summary>Checks an admin's map of jurisdiction to mode; the first bad entry is refused by name.</summary>
    public static Result<IReadOnlyDictionary<string, string>> ValidateJurisdictions(IReadOnlyDictionary<string, string?> input)
    {
        const string field = "recordingJurisdictions";
        if (input.Count > MaxJurisdictions)
        {
            return Failure.Invalid(field, $"recordingJurisdictions may list at most {MaxJurisdictions} jurisdictions.");
        }

        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (rawKey, rawMode) in input)
        {
            var key = rawKey.Trim().ToUpperInvariant();
            if (!NanpRegions.All.Contains(key) && !Validation.SupportedRegions.Contains(key))
            {
                return Failure.Invalid(field, $"'{Validation.Truncate(rawKey, 20)}' is not a country (ISO 3166 alpha-2) or a US state / Canadian province such as US-CA or CA-ON.", "unknown-jurisdiction");
            }

            if (!TryParse(rawMode, out var mode))
            {
                return Failure.Invalid(field, $"The recording mode for {key} must be 'off', 'record-after-disclosure' or 'record-without-disclosure'.", "unknown-recording-mode");
            }

            if (mode == JurisdictionRecording.RecordWithoutDisclosure && !OnePartyConsent.Contains(key))
            {
                return Failure.Invalid(field, $"{key} requires every party's consent to record: choose 'record-after-disclosure' or 'off' for {key}.", NotOnePartyConsent);
            }

            if (!result.TryAdd(key, ToWire(mode)))
            {
                return Failure.Invalid(field, $"recordingJurisdictions lists {key} twice.");
            }
        }

        return result;
    }

    public static Result<string?> ValidateText(string text)
    {
        var trimmed = text.Trim();
        if (trimmed.Length == 0)
        {
            return (string?)null;
        }

        if (trimmed.Length > MaxTextLength)
        {
            return Failure.Invalid("disclosureText", $"disclosureText must be at most {MaxTextLength} characters.", "too-long");
        }

        if (trimmed.Any(c => char.IsControl(c)))
        {
            return Failure.Invalid("disclosureText", "disclosureText must be plain text on one line.");
        }

        return trimmed;
    }

    public static Result<string?> ValidateAudioUrl(string url)
    {
        var trimmed = url.Trim();
        if (trimmed.Length == 0)
        {
            return (string?)null;
        }

        if (trimmed.Length > MaxAudioUrlLength
            || !Uri.TryCreate(trimmed, UriKind.Absolute, out var uri)
            || uri.Scheme != Uri.UriSchemeHttps
            || !string.IsNullOrEmpty(uri.UserInfo)
            || uri.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6
            || uri.IsLoopback)
        {
            return Failure.Invalid("disclosureAudioUrl", $"disclosureAudioUrl must be a public https URL of at most {MaxAudioUrlLength} characters.", "invalid-url");
        }

        return uri.AbsoluteUri;
    }
}
