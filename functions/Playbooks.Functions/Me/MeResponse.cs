using Playbooks.Calling.AgentPhones;
using Playbooks.Calling.Orgs;
using Playbooks.Calling.People;
using Playbooks.Calling.Permissions;

namespace Playbooks.Functions.Me;

/// <summary>The body of <c>GET /api/me</c> (and of the self-service edits, which answer with the new profile).</summary>
public sealed record MeResponse(
    MeResponse.UserPart User,
    MeResponse.OrgPart Org,
    IReadOnlyList<string> Roles,
    CallingMethod CallingPreference,
    IReadOnlyList<CallingMethod> CallingOptions,
    CallingPermissions CanPlaceCalls,
    string? AgentPhoneNumber,
    OrgCallingSettings Calling,
    string Telephony,
    string? Version)
{
    public static MeResponse From(MeProfile profile, string telephony) => new(
        new UserPart(profile.User.UserId, profile.User.DisplayName, profile.User.Email, profile.User.TeamId, profile.User.PermissionGroupId),
        new OrgPart(profile.Org.OrgId, profile.Org.Name, profile.Org.IsSandbox, profile.Org.ParentOrgId),
        profile.Roles,
        profile.CallingPreference,
        profile.CallingOptions,
        profile.CanPlaceCalls,
        profile.AgentPhoneNumber,
        profile.Calling,
        telephony,
        profile.Version)
    {
        AgentPhone = profile.AgentPhone,
    };

    /// <summary>{number, verified, verification: {code, expiresAt, attemptsLeft, callError}}; only ever sent to the person themselves.</summary>
    public AgentPhoneState? AgentPhone { get; init; }

    public sealed record UserPart(string Id, string DisplayName, string? Email, string? TeamId, string? PermissionGroupId);

    public sealed record OrgPart(string Id, string Name, bool IsSandbox, string? ParentOrgId);
}
