using Azure;
using Azure.Data.Tables;
using Playbooks.Calling.Storage;

namespace Playbooks.Calling.Crm;

public class CrmConnectionStore(TableServiceClient tables)
{
    private TableClient Table => tables.GetTableClient(TableNames.CrmConnections);

    /// <summary>The org's setting, or provider none when it has never been set.</summary>
    public virtual async Task<CrmConnection> GetAsync(string orgId, CancellationToken cancellationToken = default)
    {
        var entity = await TableQueries.GetOrNullAsync<CrmConnectionEntity>(
            Table, orgId, CrmConnectionEntity.ConnectionRowKey, cancellationToken);
        return entity?.ToConnection() ?? CrmConnection.NoneFor(orgId);
    }

    /// <summary>Every org that writes to a CRM; one row per org, so a scan stays small.</summary>
    public virtual async Task<IReadOnlyList<CrmConnection>> ListConfiguredAsync(CancellationToken cancellationToken = default)
    {
        var filter = TableClient.CreateQueryFilter($"RowKey eq {CrmConnectionEntity.ConnectionRowKey} and Provider ne {"none"}");
        var all = new List<CrmConnection>();
        await foreach (var entity in Table.QueryAsync<CrmConnectionEntity>(filter, cancellationToken: cancellationToken))
        {
            all.Add(entity.ToConnection());
        }
        return all;
    }

    /// <summary>
    /// Saves the setting: a first save only if none exists yet, later ones only at <paramref name="version"/>;
    /// a stale edit otherwise.
    /// </summary>
    public virtual async Task<Result<CrmConnection>> SaveAsync(
        CrmConnection connection, string? version, CancellationToken cancellationToken = default)
    {
        var entity = CrmConnectionEntity.From(connection);
        try
        {
            var response = version is null
                ? await Table.AddEntityAsync(entity, cancellationToken)
                : await Table.UpdateEntityAsync(entity, new ETag(version), TableUpdateMode.Replace, cancellationToken);
            return connection with { Version = TableQueries.VersionOf(response) };
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412 or 404)
        {
            return Failure.StaleEdit("The CRM setting");
        }
    }
}
