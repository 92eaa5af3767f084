using Azure;
using Azure.Data.Tables;

namespace Playbooks.Calling.Audit;

internal sealed class AuditEntity : ITableEntity
{
    public string PartitionKey { get; set; } = "";
    public string RowKey { get; set; } = "";
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }

    public DateTimeOffset At { get; set; }
    public string ActorUserId { get; set; } = "";
    public string ActorDisplayName { get; set; } = "";
    public string? ActorTenantId { get; set; }
    public string Action { get; set; } = "";
    public string TargetType { get; set; } = "";
    public string TargetId { get; set; } = "";
    public string? Before { get; set; }
    public string? After { get; set; }
    public string? State { get; set; }
    public string? Outcome { get; set; }

    /// <summary>Inverted ticks make the newest entry sort first; the suffix keeps same-tick entries apart.</summary>
    public static string NewRowKey(DateTimeOffset at) =>
        $"{DateTimeOffset.MaxValue.UtcTicks - at.UtcTicks:D19}-{Guid.NewGuid():N}";

    public static AuditEntity From(AuditEntry entry) => new()
    {
        PartitionKey = entry.OrgId,
        RowKey = entry.Id,
        At = entry.At,
        ActorUserId = entry.ActorUserId,
        ActorDisplayName = entry.ActorDisplayName,
        ActorTenantId = entry.ActorTenantId,
        Action = entry.Action,
        TargetType = entry.TargetType,
        TargetId = entry.TargetId,
        Before = entry.Before,
        After = entry.After,
        State = entry.State,
        Outcome = entry.Outcome,
    };

    public AuditEntry ToEntry() => new()
    {
        OrgId = PartitionKey,
        Id = RowKey,
        At = At,
        ActorUserId = ActorUserId,
        ActorDisplayName = ActorDisplayName,
        ActorTenantId = ActorTenantId,
        Action = Action,
        TargetType = TargetType,
        TargetId = TargetId,
        Before = Before,
        After = After,
        // Entries written before changes were recorded first were written after the change succeeded.
        State = State ?? AuditStates.Applied,
        Outcome = Outcome,
    };
}
