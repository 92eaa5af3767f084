namespace Playbooks.Calling.Orgs;

/// <summary>
/// One Playbooks org (a sandbox is an org of its own, linked to its parent only for display).
/// </summary>
public sealed record OrgSettings
{
    public const int DefaultMaxCallMinutes = 120;

    public const int MinMaxCallMinutes = 1;

    /// <summary>Twilio's own ceiling for a call is 4 hours.</summary>
    public const int MaxMaxCallMinutes = 240;

    public required string OrgId { get; init; }

    public required string Name { get; init; }

    /// <summary>Set on sandbox orgs; never used to inherit settings.</summary>
    public string? ParentOrgId { get; init; }

    public bool IsSandbox => ParentOrgId is not null;

    /// <summary>Switched by Support only.</summary>
    public bool ComputerCallingEnabled { get; init; }

    public CallingMethod DefaultCallingPreference { get; init; } = CallingMethod.Phone;

    /// <summary>The permission group a person gets on their first sign-in; null leaves them in none.</summary>
    public string? DefaultPermissionGroupId { get; init; }

    public RecordingMode Recording { get; init; } = RecordingMode.Off;

    /// <summary>Twilio edges in order of preference: ["roaming"], one regional edge, or a fallback list.</summary>
    public IReadOnlyList<string> Edges { get; init; } = ["roaming"];

    /// <summary>PCMU (G.711) first.</summary>
    public IReadOnlyList<string> CodecPreferences { get; init; } = ["pcmu", "opus"];

    /// <summary>E.164 caller ID shown to prospects.</summary>
    public string? CallerId { get; init; }

    /// <summary>Longest a call may last, in minutes: every &lt;Dial&gt; gets it as its timeLimit.</summary>
    public int MaxCallMinutes { get; init; } = DefaultMaxCallMinutes;

    /// <summary>ISO 3166 alpha-2 region codes a prospect number may be in.</summary>
    public IReadOnlyList<string> AllowedCountries { get; init; } = ["US", "CA"];

    /// <summary>
    /// Recording per jurisdiction ("US-CA", "CA-ON" or a country such as "GB") to "off", "record-after-disclosure" or
    /// "record-without-disclosure"; where none is listed, a recorded call is disclosed (see RecordingDisclosure).
    /// </summary>
    public IReadOnlyDictionary<string, string> RecordingJurisdictions { get; init; } = new Dictionary<string, string>();

    /// <summary>What the prospect hears before a recorded call; null plays the default sentence.</summary>
    public string? DisclosureText { get; init; }

    /// <summary>An https recording played instead of <see cref="DisclosureText"/>.</summary>
    public string? DisclosureAudioUrl { get; init; }

    /// <summary>Calls show the org's pool number closest to the prospect (see LocalPresence) instead of <see cref="CallerId"/>.</summary>
    public bool LocalPresence { get; init; }

    /// <summary>The stored version (ETag); clients send it back as If-Match. Null until stored.</summary>
    public string? Version { get; init; }
}
