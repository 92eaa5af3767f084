using Playbooks.Calling.AgentPhones;
using Playbooks.Calling.Orgs;
using Playbooks.Calling.Permissions;

namespace Playbooks.Calling.People;

/// <summary>What <c>GET /api/me</c> returns (the HTTP layer adds <c>telephony</c>).</summary>
public sealed record MeProfile(
    MeUser User,
    MeOrg Org,
    IReadOnlyList<string> Roles,
    CallingMethod CallingPreference,
    IReadOnlyList<CallingMethod> CallingOptions,
    CallingPermissions CanPlaceCalls,
    string? AgentPhoneNumber,
    OrgCallingSettings Calling,
    string? Version)
{
    /// <summary>The agent phone's verification state; the code in it is for this person's eyes only.</summary>
    public AgentPhoneState? AgentPhone { get; init; }
}

public sealed record MeUser(string UserId, string DisplayName, string? Email, string? TeamId, string? PermissionGroupId);

public sealed record MeOrg(string OrgId, string Name, bool IsSandbox, string? ParentOrgId);

/// <summary>The org settings the browser needs to set up the Twilio Device.</summary>
public sealed record OrgCallingSettings(
    bool ComputerCallingEnabled, IReadOnlyList<string> Edges, IReadOnlyList<string> CodecPreferences, RecordingMode Recording)
{
    public static OrgCallingSettings From(OrgSettings org) =>
        new(org.ComputerCallingEnabled, org.Edges, org.CodecPreferences, org.Recording);
}
