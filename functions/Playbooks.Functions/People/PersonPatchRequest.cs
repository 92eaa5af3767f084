using System.Text.Json.Serialization;
using Playbooks.Calling.People;

namespace Playbooks.Functions.People;

/// <summary>A manager's or admin's edit: an absent or null field stays as it is, "" clears it.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record PersonPatchRequest(string? TeamId, string? PermissionGroupId, string? CallingPreference, string? AgentPhoneNumber)
{
    public PersonPatch ToPatch() => new(TeamId, PermissionGroupId, CallingPreference, AgentPhoneNumber);
}
