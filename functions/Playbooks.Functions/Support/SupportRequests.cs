using System.Text.Json.Serialization;
using Playbooks.Calling;
using Playbooks.Calling.Orgs;

namespace Playbooks.Functions.Support;

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record ComputerCallingRequest(bool? Enabled)
{
    public Result<bool> ToEnabled() =>
        Enabled is { } enabled ? enabled : Failure.Invalid("enabled", "enabled is required: true or false.");
}

/// <summary>A new org; with <c>parentOrgId</c>, a sandbox of that org. A missing orgId is generated.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record NewOrgRequest(string? OrgId, string? Name, string? ParentOrgId)
{
    public NewOrg ToNewOrg() => new(OrgId, Name, ParentOrgId);
}
