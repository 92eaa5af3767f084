using System.Text.Json.Serialization;
using Playbooks.Calling.Orgs;

namespace Playbooks.Functions.Orgs;

/// <summary>An admin's change to the org settings; absent or null leaves a setting as it is. Computer calling is Support's.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record OrgPatchRequest(
    string? Name,
    string? DefaultCallingPreference,
    string? Recording,
    IReadOnlyList<string>? Edges,
    IReadOnlyList<string>? CodecPreferences,
    string? CallerId,
    IReadOnlyList<string>? AllowedCountries,
    int? MaxCallMinutes = null,
    string? DefaultPermissionGroupId = null,
    IReadOnlyDictionary<string, string?>? RecordingJurisdictions = null,
    string? DisclosureText = null,
    string? DisclosureAudioUrl = null,
    bool? LocalPresence = null)
{
    public OrgSettingsPatch ToPatch() => new()
    {
        Name = Name,
        DefaultCallingPreference = DefaultCallingPreference,
        Recording = Recording,
        Edges = Edges,
        CodecPreferences = CodecPreferences,
        CallerId = CallerId,
        AllowedCountries = AllowedCountries,
        MaxCallMinutes = MaxCallMinutes,
        DefaultPermissionGroupId = DefaultPermissionGroupId,
        RecordingJurisdictions = RecordingJurisdictions,
        DisclosureText = DisclosureText,
        DisclosureAudioUrl = DisclosureAudioUrl,
        LocalPresence = LocalPresence,
    };
}
