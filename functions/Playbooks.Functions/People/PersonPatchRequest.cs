using System.Text.Json.Serialization;
using Playbooks.Calling.People;

namespace Playbooks.Functions.People;

/// <summary>A manager's or admin's edit: an absent or null field stays as it is, "" clears it.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record PersonPatchRequest(string? TeamId, string? PermissionGroupId, string? CallingPreference, string? AgentPhoneNumber)
{
    public PersonPatch ToPatch() => new(TeamId, PermissionGroupId, CallingPreference, AgentPhoneNumber);
}

/// <summary>A person added ahead of their first sign-in: email required, the rest optional (org defaults, no team).</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record PersonCreateRequest(
    string? Email, string? DisplayName = null, string? TeamId = null, string? PermissionGroupId = null, string? CallingPreference = null)
{
    public NewPerson ToNewPerson() => new(Email, DisplayName, TeamId, PermissionGroupId, CallingPreference);
}
