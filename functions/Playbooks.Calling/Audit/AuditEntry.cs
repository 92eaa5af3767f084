namespace Playbooks.Calling.Audit;

/// <summary>
/// One change: who made it, what it touched, the state before and after (JSON), when, and whether it happened.
/// A change is recorded <see cref="AuditStates.Pending"/> before it is attempted, then marked with its outcome.
/// </summary>
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

    /// <summary><see cref="AuditStates.Pending"/>, <see cref="AuditStates.Applied"/> or <see cref="AuditStates.NotApplied"/>.</summary>
    public string State { get; init; } = AuditStates.Applied;

    /// <summary>Why a change was not applied (the refusal's code, e.g. <c>stale-edit</c>).</summary>
    public string? Outcome { get; init; }
}

/// <summary>
/// The outcome of a recorded change. A change stays <see cref="Pending"/> only if the process stopped (or storage
/// failed) between attempting it and recording the outcome: the change may or may not have happened.
/// </summary>
public static class AuditStates
{
    public const string Pending = "pending";
    public const string Applied = "applied";
    public const string NotApplied = "not-applied";
}
