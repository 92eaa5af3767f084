using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Playbooks.Calling.Orgs;

namespace Playbooks.Calling.Activity;

/// <summary>
/// A row of the Activities table: PartitionKey org, RowKey agent call SID. The activity itself is one JSON column so
/// it round-trips exactly; the columns beside it exist only for queries. Lists read the time index
/// (<see cref="ActivityListEntry"/>) instead.
/// </summary>
internal sealed class ActivityEntity : ITableEntity
{
    public string PartitionKey { get; set; } = "";

    public string RowKey { get; set; } = "";

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public string Activity { get; set; } = "";

    public string? UserId { get; set; }

    public string? Method { get; set; }

    public string? Outcome { get; set; }

    /// <summary>pending, synced or sync-failed: what the CRM sync lists by.</summary>
    public string? CrmSync { get; set; }

    /// <summary>When the row was first written; lists fall back to it while no call time is known.</summary>
    public DateTimeOffset FirstSeenAt { get; set; }

    /// <summary>The earliest known time of the call; what lists sort and filter by.</summary>
    public DateTimeOffset CallAt { get; set; }

    /// <summary>The RowKey of the activity's time-index row; null for a row written before the index existed.</summary>
    public string? ListedAs { get; set; }

    public CallActivity ToActivity() => Deserialize(Activity, PartitionKey, RowKey);

    public static CallActivity Deserialize(string json, string partitionKey, string rowKey) =>
        JsonSerializer.Deserialize<CallActivity>(json, PlaybooksJson.Options) ?? throw new JsonException($"Activity {partitionKey}/{rowKey} is empty.");

    public static ActivityEntity From(CallActivity activity, DateTimeOffset firstSeenAt) => new()
    {
        PartitionKey = activity.OrgId,
        RowKey = activity.AgentCallSid,
        Activity = JsonSerializer.Serialize(activity, PlaybooksJson.Options),
        UserId = activity.UserId,
        Method = activity.Method?.ToWire(),
        Outcome = activity.Outcome is { } outcome ? CallOutcomeNames.ToWire(outcome) : null,
        CrmSync = CrmSyncNames.ToWire(activity.CrmSync),
        FirstSeenAt = firstSeenAt,
        CallAt = CallAtOf(activity) ?? firstSeenAt,
    };

    public static DateTimeOffset? CallAtOf(CallActivity a) =>
        new[] { a.InitiatedAt, a.RingingAt, a.AnsweredAt, a.EndedAt }.Where(t => t is not null).Min();
}

public static class CallOutcomeNames
{
    private static readonly Dictionary<string, CallOutcome> Names = new(StringComparer.Ordinal)
    {
        ["connected"] = CallOutcome.Connected,
        ["busy"] = CallOutcome.Busy,
        ["no-answer"] = CallOutcome.NoAnswer,
        ["failed"] = CallOutcome.Failed,
        ["canceled"] = CallOutcome.Canceled,
    };

    public static IReadOnlyCollection<string> All => Names.Keys;

    public static string ToWire(CallOutcome outcome) => Names.First(p => p.Value == outcome).Key;

    public static bool TryParse(string? value, out CallOutcome outcome) => Names.TryGetValue(value ?? "", out outcome);
}

public static class CrmSyncNames
{
    public static string ToWire(CrmSyncState state) => state switch
    {
        CrmSyncState.Synced => "synced",
        CrmSyncState.SyncFailed => "sync-failed",
        _ => "pending",
    };
}
