namespace Playbooks.Calling.Teams;

/// <summary>A sales team; its managers act on its people.</summary>
public sealed record Team
{
    public required string OrgId { get; init; }

    public required string Id { get; init; }

    public required string Name { get; init; }

    public IReadOnlyList<string> ManagerUserIds { get; init; } = [];

    public string? Version { get; init; }

    public bool IsManagedBy(string userId) => ManagerUserIds.Contains(userId);
}
