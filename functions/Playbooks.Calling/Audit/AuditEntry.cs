namespace Playbooks.Calling.Audit;

/// <summary>One change: who made it, what it touched, the state before and after (JSON), and when.</summary>
public sealed record AuditEntry
{
    public required string OrgId { get; init; }

    /// <summary>Sorts newest first within the org.</summary>
    public required string Id { get; init; }

    public required DateTimeOffset At { get; init; }

    public required string ActorUserId { get; init; }

    public required string ActorDisplayName { get; init; }

    /// <summary>The Entra tenant a Support actor signed in from; null for the org's own users.</summary>
    public string? ActorTenantId { get; init; }

    /// <summary>e.g. <c>person.updated</c>, <c>permission-group.deleted</c>.</summary>
    public required string Action { get; init; }

    public required string TargetType { get; init; }

    public required string TargetId { get; init; }

    public string? Before { get; init; }

    public string? After { get; init; }
}
