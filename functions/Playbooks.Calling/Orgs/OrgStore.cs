using Azure;
using Azure.Data.Tables;
using Playbooks.Calling.Storage;

namespace Playbooks.Calling.Orgs;

public class OrgStore(TableServiceClient tables)
{
    private readonly DirectoryCache? _cache;

    public OrgStore(TableServiceClient tables, DirectoryCache cache) : this(tables) => _cache = cache;

    private TableClient Table => tables.GetTableClient(TableNames.Orgs);

    public virtual Task<OrgSettings?> GetAsync(string orgId, CancellationToken cancellationToken = default) =>
        _cache.ReadThroughAsync(TableNames.Orgs, orgId, OrgEntity.SettingsRowKey, async ct =>
            (await TableQueries.GetOrNullAsync<OrgEntity>(Table, orgId, OrgEntity.SettingsRowKey, ct))?.ToOrg(), cancellationToken);

    /// <summary>Adds a new org; Conflict when the id is taken.</summary>
    public virtual async Task<Result<OrgSettings>> CreateAsync(OrgSettings org, CancellationToken cancellationToken = default)
    {
        using var _ = _cache.InvalidateAfterWrite(TableNames.Orgs, org.OrgId, OrgEntity.SettingsRowKey);
        try
        {
            var response = await Table.AddEntityAsync(OrgEntity.From(org), cancellationToken);
            return org with { Version = TableQueries.VersionOf(response) };
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return Failure.Conflict("org-exists", $"An org with id '{org.OrgId}' already exists.");
        }
    }

    /// <summary>Replaces the org if it is still at <paramref name="version"/>; PreconditionFailed otherwise.</summary>
    public virtual async Task<Result<OrgSettings>> UpdateAsync(OrgSettings org, string version, CancellationToken cancellationToken = default)
    {
        if (!TableQueries.IsWellFormedVersion(version))
        {
            return Failure.StaleEdit("The org settings");
        }
        using var _ = _cache.InvalidateAfterWrite(TableNames.Orgs, org.OrgId, OrgEntity.SettingsRowKey);
        try
        {
            var response = await Table.UpdateEntityAsync(OrgEntity.From(org), new ETag(version), TableUpdateMode.Replace, cancellationToken);
            return org with { Version = TableQueries.VersionOf(response) };
        }
        catch (RequestFailedException e) when (e.Status == 412)
        {
            return Failure.StaleEdit("The org settings");
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return Failure.NotFound("Org");
        }
    }

    /// <summary>Writes the org unconditionally (demo seed).</summary>
    public virtual async Task<OrgSettings> UpsertAsync(OrgSettings org, CancellationToken cancellationToken = default)
    {
        using var _ = _cache.InvalidateAfterWrite(TableNames.Orgs, org.OrgId, OrgEntity.SettingsRowKey);
        var response = await Table.UpsertEntityAsync(OrgEntity.From(org), TableUpdateMode.Replace, cancellationToken);
        return org with { Version = TableQueries.VersionOf(response) };
    }
}
