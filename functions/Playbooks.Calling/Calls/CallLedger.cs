using Azure;
using Azure.Data.Tables;
using Playbooks.Calling.Orgs;
using Playbooks.Calling.Storage;

namespace Playbooks.Calling.Calls;

/// <summary>Who placed a call: the agent leg's call SID, its org, rep, method and the prospect it dials.</summary>
public sealed record CallRecord(string OrgId, string CallSid, string UserId, CallingMethod Method, string ProspectNumber, DateTimeOffset CreatedAt)
{
    public string? WhoId { get; init; }
}

/// <summary>
/// The calls our service placed, by agent-leg call SID within the org's partition. It answers one question:
/// does this call belong to this user? (END, dispositions). The activity itself lives elsewhere.
/// </summary>
public class CallLedger(TableServiceClient tables)
{
    private TableClient Table => tables.GetTableClient(TableNames.Calls);

    /// <summary>Records the call once; a second record of the same SID (a retried webhook) keeps the first.</summary>
    public virtual async Task RecordAsync(CallRecord call, CancellationToken cancellationToken = default)
    {
        try
        {
            await Table.AddEntityAsync(CallEntity.From(call), cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            // Already recorded; the first owner stands.
        }
    }

    /// <summary>The call with this SID in the org, or null (also for a SID that cannot be a table key).</summary>
    public virtual async Task<CallRecord?> GetAsync(string orgId, string callSid, CancellationToken cancellationToken = default)
    {
        if (!IsWellFormedSid(callSid))
        {
            return null;
        }

        var response = await Table.GetEntityIfExistsAsync<CallEntity>(orgId, callSid, cancellationToken: cancellationToken);
        return response.HasValue ? response.Value!.ToRecord() : null;
    }

    /// <summary>Twilio SIDs are two letters and hex; anything else is not a call of ours.</summary>
    public static bool IsWellFormedSid(string? callSid) =>
        callSid is { Length: >= 2 and <= 64 } && callSid.All(char.IsAsciiLetterOrDigit);
}

internal sealed class CallEntity : ITableEntity
{
    public string PartitionKey { get; set; } = "";
    public string RowKey { get; set; } = "";
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }

    public string UserId { get; set; } = "";
    public string Method { get; set; } = "";
    public string ProspectNumber { get; set; } = "";
    public string? WhoId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    public static CallEntity From(CallRecord call) => new()
    {
        PartitionKey = call.OrgId,
        RowKey = call.CallSid,
        UserId = call.UserId,
        Method = call.Method.ToWire(),
        ProspectNumber = call.ProspectNumber,
        WhoId = call.WhoId,
        CreatedAt = call.CreatedAt,
    };

    public CallRecord ToRecord() =>
        new(PartitionKey, RowKey, UserId, CallingMethodNames.TryParse(Method, out var m) ? m : CallingMethod.Phone, ProspectNumber, CreatedAt)
        {
            WhoId = WhoId,
        };
}
