using Azure;
using Azure.Data.Tables;
using Playbooks.Calling.Storage;

namespace Playbooks.Calling.Audit;

public class AuditStore(TableServiceClient tables)
{
    private TableClient Table => tables.GetTableClient(TableNames.Audit);

    public virtual async Task AppendAsync(AuditEntry entry, CancellationToken cancellationToken = default) =>
        await Table.AddEntityAsync(AuditEntity.From(entry), cancellationToken);

    /// <summary>Records whether the change of a pending entry happened (merges only the state and outcome).</summary>
    public virtual async Task MarkAsync(string orgId, string entryId, string state, string? outcome, CancellationToken cancellationToken = default)
    {
        var update = new TableEntity(orgId, entryId)
        {
            [nameof(AuditEntity.State)] = state,
            [nameof(AuditEntity.Outcome)] = outcome,
        };
        await Table.UpdateEntityAsync(update, ETag.All, TableUpdateMode.Merge, cancellationToken);
    }

    /// <summary>Newest first.</summary>
    public virtual Task<PagedList<AuditEntry>> ListAsync(string orgId, PageRequest page, CancellationToken cancellationToken = default) =>
        TableQueries.ReadPageAsync<AuditEntity, AuditEntry>(Table, orgId, null, page, e => e.ToEntry(), null, cancellationToken);
}
