using Azure.Data.Tables;
using Playbooks.Calling.OrgDirectory;
using Playbooks.Calling.Storage;

namespace Playbooks.Calling.Audit;

public class AuditStore(TableServiceClient tables)
{
    private TableClient Table => tables.GetTableClient(TableNames.Audit);

    public virtual async Task AppendAsync(AuditEntry entry, CancellationToken cancellationToken = default) =>
        await Table.AddEntityAsync(AuditEntity.From(entry), cancellationToken);

    /// <summary>Newest first.</summary>
    public virtual Task<PagedList<AuditEntry>> ListAsync(string orgId, PageRequest page, CancellationToken cancellationToken = default) =>
        TableQueries.ReadPageAsync<AuditEntity, AuditEntry>(Table, orgId, null, page, e => e.ToEntry(), null, cancellationToken);
}
