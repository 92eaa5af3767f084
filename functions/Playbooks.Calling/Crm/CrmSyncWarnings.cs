using Azure;
using Azure.Data.Tables;
using Playbooks.Calling.Activity;
using Playbooks.Calling.Storage;

namespace Playbooks.Calling.Crm;

/// <summary>
/// Activities written to the CRM with something left out (a whoId whose record does not list the number dialed), for
/// admins beside the failures. Rows live in the org's partition of the CrmConnections table, RowKey
/// <c>warning-{call SID}</c>, so they need no table of their own and never look like the org's setting row.
/// </summary>
public class CrmSyncWarnings(TableServiceClient tables, TimeProvider clock)
{
    private const string RowPrefix = "warning-";

    private TableClient Table => tables.GetTableClient(TableNames.CrmConnections);

    public virtual async Task RecordAsync(CallActivity activity, string warning, CancellationToken cancellationToken)
    {
        await Table.UpsertEntityAsync(new TableEntity(activity.OrgId, RowPrefix + activity.AgentCallSid)
        {
            ["Message"] = warning,
            ["UserId"] = activity.UserId,
            ["ProspectNumber"] = activity.ProspectNumber,
            ["EndedAt"] = activity.EndedAt,
            ["At"] = clock.GetUtcNow(),
        }, TableUpdateMode.Replace, cancellationToken);
    }

    /// <summary>Removes the activity's warning, if it has one: a later write carried everything.</summary>
    public virtual async Task ClearAsync(ActivityKey key, CancellationToken cancellationToken)
    {
        try
        {
            await Table.DeleteEntityAsync(key.OrgId, RowPrefix + key.AgentCallSid, ETag.All, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
        }
    }

    /// <summary>Up to <paramref name="max"/> of the org's warnings, as admins see them beside the failures.</summary>
    public virtual async Task<IReadOnlyList<CrmSyncFailure>> ListAsync(string orgId, int max, CancellationToken cancellationToken)
    {
        // '.' follows '-', so this range is exactly the rows that start with "warning-".
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {orgId} and RowKey gt {RowPrefix} and RowKey lt {"warning."}");
        var found = new List<CrmSyncFailure>();
        await foreach (var row in Table.QueryAsync<TableEntity>(filter, Math.Min(max, 1000), cancellationToken: cancellationToken))
        {
            found.Add(new CrmSyncFailure(
                row.RowKey[RowPrefix.Length..], row.GetString("UserId"), row.GetString("ProspectNumber"), row.GetDateTimeOffset("EndedAt"),
                row.GetString("Message"), 0) { Kind = CrmSyncFailure.WarningKind });
            if (found.Count >= max)
            {
                break;
            }
        }
        return found;
    }
}
