using Azure;
using Azure.Data.Tables;
using Playbooks.Calling.Storage;

namespace Playbooks.Calling.Calls;

/// <summary>A call whose prospect leg has not ended yet, since <see cref="OpenedAt"/>.</summary>
public sealed record OpenCall(string OrgId, string AgentCallSid, DateTimeOffset OpenedAt);

/// <summary>
/// The calls still open, one row each in a partition of their own in the ledger's table (<see cref="Partition"/>; no
/// org ID can start with '~'), so the sweep reads only open calls instead of the whole call history. A row is added
/// when the activity writer first sees the prospect leg and removed when the leg ends or the sweep ends the call.
/// </summary>
public class OpenCallIndex(TableServiceClient tables)
{
    public const string Partition = "~open-calls";

    private TableClient Table => tables.GetTableClient(TableNames.Calls);

    public static string RowKey(string orgId, string agentCallSid) => $"{orgId}~{agentCallSid}";

    /// <summary>Adds the call; a call already open keeps its first <see cref="OpenCall.OpenedAt"/>.</summary>
    public virtual async Task OpenAsync(OpenCall call, CancellationToken cancellationToken = default)
    {
        var row = new TableEntity(Partition, RowKey(call.OrgId, call.AgentCallSid))
        {
            ["OrgId"] = call.OrgId,
            ["AgentCallSid"] = call.AgentCallSid,
            ["OpenedAt"] = call.OpenedAt,
        };
        try
        {
            await Table.AddEntityAsync(row, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            // Already open (a replayed event): the first time stands.
        }
    }

    /// <summary>Removes the call; one that is not open is not an error.</summary>
    public virtual async Task CloseAsync(string orgId, string agentCallSid, CancellationToken cancellationToken = default)
    {
        try
        {
            await Table.DeleteEntityAsync(Partition, RowKey(orgId, agentCallSid), ETag.All, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
        }
    }

    /// <summary>At most <paramref name="limit"/> calls opened before <paramref name="cutoff"/>: one partition, filtered by the server.</summary>
    public virtual async Task<IReadOnlyList<OpenCall>> OpenedBeforeAsync(DateTimeOffset cutoff, int limit, CancellationToken cancellationToken = default)
    {
        var calls = new List<OpenCall>();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {Partition} and OpenedAt lt {cutoff.UtcDateTime}");
        await foreach (var row in Table.QueryAsync<TableEntity>(filter, maxPerPage: Math.Min(limit, 1000), cancellationToken: cancellationToken))
        {
            if (row.GetString("OrgId") is { Length: > 0 } orgId
                && row.GetString("AgentCallSid") is { Length: > 0 } sid
                && row.GetDateTimeOffset("OpenedAt") is { } openedAt)
            {
                calls.Add(new OpenCall(orgId, sid, openedAt));
            }

            if (calls.Count >= limit) break;
        }

        return calls;
    }
}
