using Playbooks.Calling.Orgs;

namespace Playbooks.Calling.PermissionGroups;

/// <summary>A permission group; its Phone Settings say which calling methods its members may select and use.</summary>
public sealed record PermissionGroup
{
    public required string OrgId { get; init; }

    public required string Id { get; init; }

    public required string Name { get; init; }

    public bool AllowComputer { get; init; }

    public bool AllowPhone { get; init; }

    /// <summary>The stored version (ETag); clients send it back as If-Match.</summary>
    public string? Version { get; init; }

    public bool Allows(CallingMethod method) => method == CallingMethod.Computer ? AllowComputer : AllowPhone;
}

/// <summary>A group's name and Phone Settings, as a client sends them to create or replace a group.</summary>
public sealed record PermissionGroupInput(string? Name, bool AllowComputer, bool AllowPhone);
