using Azure;
using Azure.Data.Tables;
using Playbooks.Calling.Storage;

namespace Playbooks.Calling.PermissionGroups;

public class PermissionGroupStore(TableServiceClient tables)
{
    private readonly DirectoryCache? _cache;

    public PermissionGroupStore(TableServiceClient tables, DirectoryCache cache) : this(tables) => _cache = cache;

    private TableClient Table => tables.GetTableClient(TableNames.PermissionGroups);

    public virtual Task<PermissionGroup?> GetAsync(string orgId, string groupId, CancellationToken cancellationToken = default) =>
        _cache.ReadThroughAsync(TableNames.PermissionGroups, orgId, groupId, async ct =>
            (await TableQueries.GetOrNullAsync<PermissionGroupEntity>(Table, orgId, groupId, ct))?.ToGroup(), cancellationToken);

    public virtual Task<PagedList<PermissionGroup>> ListAsync(string orgId, PageRequest page, CancellationToken cancellationToken = default) =>
        TableQueries.ReadPageAsync<PermissionGroupEntity, PermissionGroup>(Table, orgId, null, page, e => e.ToGroup(), null, cancellationToken);

    /// <summary>All of an org's groups (an org has a handful), for name checks.</summary>
    public virtual async Task<IReadOnlyList<PermissionGroup>> ListAllAsync(string orgId, CancellationToken cancellationToken = default) =>
        await TableQueries.ReadAllAsync<PermissionGroupEntity, PermissionGroup>(Table, orgId, null, e => e.ToGroup(), cancellationToken);

    public virtual async Task<PermissionGroup> CreateAsync(PermissionGroup group, CancellationToken cancellationToken = default)
    {
        using var _ = _cache.InvalidateAfterWrite(TableNames.PermissionGroups, group.OrgId, group.Id);
        var response = await Table.AddEntityAsync(PermissionGroupEntity.From(group), cancellationToken);
        return group with { Version = TableQueries.VersionOf(response) };
    }

    public virtual async Task<Result<PermissionGroup>> UpdateAsync(PermissionGroup group, string version, CancellationToken cancellationToken = default)
    {
        if (!TableQueries.IsWellFormedVersion(version))
        {
            return Failure.StaleEdit($"Permission group '{group.Name}'");
        }
        using var _ = _cache.InvalidateAfterWrite(TableNames.PermissionGroups, group.OrgId, group.Id);
        try
        {
            var response = await Table.UpdateEntityAsync(PermissionGroupEntity.From(group), new ETag(version), TableUpdateMode.Replace, cancellationToken);
            return group with { Version = TableQueries.VersionOf(response) };
        }
        catch (RequestFailedException e) when (e.Status == 412)
        {
            return Failure.StaleEdit($"Permission group '{group.Name}'");
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return Failure.NotFound("Permission group");
        }
    }

    public virtual async Task<Result<bool>> DeleteAsync(string orgId, string groupId, string version, CancellationToken cancellationToken = default)
    {
        if (!TableQueries.IsWellFormedVersion(version))
        {
            return Failure.StaleEdit("The permission group");
        }
        using var _ = _cache.InvalidateAfterWrite(TableNames.PermissionGroups, orgId, groupId);
        try
        {
            await Table.DeleteEntityAsync(orgId, groupId, new ETag(version), cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 412)
        {
            return Failure.StaleEdit("The permission group");
        }
    }

    public virtual async Task<PermissionGroup> UpsertAsync(PermissionGroup group, CancellationToken cancellationToken = default)
    {
        using var _ = _cache.InvalidateAfterWrite(TableNames.PermissionGroups, group.OrgId, group.Id);
        var response = await Table.UpsertEntityAsync(PermissionGroupEntity.From(group), TableUpdateMode.Replace, cancellationToken);
        return group with { Version = TableQueries.VersionOf(response) };
    }
}
