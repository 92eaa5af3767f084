using Azure;
using Azure.Data.Tables;
using Playbooks.Calling.Activity;
using Playbooks.Calling.Storage;

namespace Playbooks.Calling.Calls;

/// <summary>What the rep did at the agent leg's press-1 prompt.</summary>
public enum AgentConfirmation
{
    /// <summary>The rep pressed 1: the prospect is being dialed.</summary>
    Confirmed,

    /// <summary>Another key: the agent leg hung up without dialing.</summary>
    Declined,
}

/// <summary>A phone-based agent leg as far as we know it: its furthest status and the rep's answer to the prompt.</summary>
public sealed record AgentLegState(string OrgId, string CallSid)
{
    public CallStatus? Status { get; init; }

    public DateTimeOffset? StatusAt { get; init; }

    public AgentConfirmation? Confirmation { get; init; }

    public DateTimeOffset? ConfirmedAt { get; init; }
}

/// <summary>
/// One row per phone-based agent leg, in the ledger's table, in the org's own partition (not one of the ledger's
/// buckets) under the row key <c>{callSid}-agent</c> (the ledger itself only ever reads plain SIDs, so the two never
/// meet, and no new table is deployed). Written off the webhooks' hot path where it can:
/// the agent leg's status callbacks only ever reach the queue (their webhook's budget is one enqueue), and the activity
/// writer records their status here as it drains them. The &lt;Gather&gt; action writes the rep's key itself with one
/// merge upsert: it is the only place that knows it, and the rep waits for that answer on the line anyway.
/// </summary>
public class AgentLegStateStore(TableServiceClient tables)
{
    private const int MaxAttempts = 5;

    /// <summary>The row key of an agent leg's state row.</summary>
    public static string RowKey(string callSid) => callSid + "-agent";

    private TableClient Table => tables.GetTableClient(TableNames.Calls);

    public virtual async Task<AgentLegState?> GetAsync(string orgId, string callSid, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(orgId) || !CallLedger.IsWellFormedSid(callSid))
        {
            return null;
        }

        var response = await Table.GetEntityIfExistsAsync<TableEntity>(orgId, RowKey(callSid), cancellationToken: cancellationToken);
        return response.HasValue ? ToState(response.Value!) : null;
    }

    /// <summary>The rep's key: one merge upsert that touches only the confirmation columns, so it never races the statuses.</summary>
    public virtual async Task RecordConfirmationAsync(
        string orgId, string callSid, AgentConfirmation confirmation, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        var entity = new TableEntity(orgId, RowKey(callSid))
        {
            ["Confirmation"] = confirmation.ToString(),
            ["ConfirmedAt"] = at,
        };
        await Table.UpsertEntityAsync(entity, TableUpdateMode.Merge, cancellationToken);
    }

    /// <summary>
    /// Moves the leg's status forward only (callbacks arrive late, twice or out of order): a terminal status is final,
    /// otherwise initiated &lt; ringing &lt; in-progress. Optimistic concurrency keeps two writers from undoing each other.
    /// </summary>
    public virtual async Task RecordStatusAsync(
        string orgId, string callSid, CallStatus status, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        for (var attempt = 1; ; attempt++)
        {
            var current = await Table.GetEntityIfExistsAsync<TableEntity>(orgId, RowKey(callSid), cancellationToken: cancellationToken);
            var known = current.HasValue ? ToState(current.Value!).Status : null;
            if (known is { } before && Rank(before) >= Rank(status))
            {
                return;
            }

            var entity = new TableEntity(orgId, RowKey(callSid)) { ["Status"] = Wire(status), ["StatusAt"] = at };
            try
            {
                if (current.HasValue)
                {
                    await Table.UpdateEntityAsync(entity, current.Value!.ETag, TableUpdateMode.Merge, cancellationToken);
                }
                else
                {
                    await Table.AddEntityAsync(entity, cancellationToken);
                }

                return;
            }
            catch (RequestFailedException e) when ((e.Status is 409 or 412) && attempt < MaxAttempts)
            {
                // Someone wrote in between (the confirmation or another status): read again and decide again.
            }
        }
    }

    /// <summary>
    /// Several statuses of one leg at once (the activity writer's batch): one read and at most one write for the
    /// furthest of them; of equally far ones, the first is kept, as when they are recorded one by one.
    /// </summary>
    public virtual Task RecordStatusesAsync(
        string orgId, string callSid, IReadOnlyList<(CallStatus Status, DateTimeOffset At)> statuses, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(statuses);
        if (statuses.Count == 0) return Task.CompletedTask;
        var furthest = statuses[0];
        foreach (var s in statuses)
        {
            if (Rank(s.Status) > Rank(furthest.Status)) furthest = s;
        }

        return RecordStatusAsync(orgId, callSid, furthest.Status, furthest.At, cancellationToken);
    }

    private static int Rank(CallStatus status) => status switch
    {
        CallStatus.Queued => 0,
        CallStatus.Initiated => 1,
        CallStatus.Ringing => 2,
        CallStatus.InProgress => 3,
        _ => 4,
    };

    private static string Wire(CallStatus status) => status switch
    {
        CallStatus.InProgress => "in-progress",
        CallStatus.NoAnswer => "no-answer",
        _ => status.ToString().ToLowerInvariant(),
    };

    private static CallStatus? ParseStatus(string? wire) => wire switch
    {
        "queued" => CallStatus.Queued,
        "initiated" => CallStatus.Initiated,
        "ringing" => CallStatus.Ringing,
        "in-progress" => CallStatus.InProgress,
        "completed" => CallStatus.Completed,
        "busy" => CallStatus.Busy,
        "no-answer" => CallStatus.NoAnswer,
        "failed" => CallStatus.Failed,
        "canceled" => CallStatus.Canceled,
        _ => null,
    };

    private static AgentLegState ToState(TableEntity row) => new(row.PartitionKey, row.RowKey[..^"-agent".Length])
    {
        Status = ParseStatus(row.GetString("Status")),
        StatusAt = row.GetDateTimeOffset("StatusAt"),
        Confirmation = Enum.TryParse<AgentConfirmation>(row.GetString("Confirmation"), out var c) ? c : null,
        ConfirmedAt = row.GetDateTimeOffset("ConfirmedAt"),
    };
}
