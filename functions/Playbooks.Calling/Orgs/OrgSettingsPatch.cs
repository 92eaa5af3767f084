namespace Playbooks.Calling.Orgs;

/// <summary>An admin's change to org settings; null leaves a setting as it is. Computer calling is Support's switch, not here.</summary>
public sealed record OrgSettingsPatch
{
    public string? Name { get; init; }

    /// <summary>"computer" or "phone".</summary>
    public string? DefaultCallingPreference { get; init; }

    /// <summary>The id of an existing permission group; empty string clears it.</summary>
    public string? DefaultPermissionGroupId { get; init; }

    /// <summary>"off", "record-from-answer" or "dual-channel".</summary>
    public string? Recording { get; init; }

    public IReadOnlyList<string>? Edges { get; init; }

    public IReadOnlyList<string>? CodecPreferences { get; init; }

    /// <summary>Empty string clears it.</summary>
    public string? CallerId { get; init; }

    public IReadOnlyList<string>? AllowedCountries { get; init; }

    /// <summary>1 to 240.</summary>
    public int? MaxCallMinutes { get; init; }

    /// <summary>Replaces the whole map of jurisdiction to recording mode.</summary>
    public IReadOnlyDictionary<string, string?>? RecordingJurisdictions { get; init; }

    /// <summary>Empty string restores the default sentence.</summary>
    public string? DisclosureText { get; init; }

    /// <summary>Empty string clears it.</summary>
    public string? DisclosureAudioUrl { get; init; }

    public bool? LocalPresence { get; init; }
}
