using Azure;
using Azure.Data.Tables;
using Playbooks.Calling.Storage;

namespace Playbooks.Calling.CallerIds;

/// <summary>Which org holds which caller ID; a number belongs to at most one org.</summary>
public class CallerIdStore(TableServiceClient tables)
{
    public const string AssignedElsewhere = "caller-id-assigned-elsewhere";

    private readonly DirectoryCache? _cache;

    public CallerIdStore(TableServiceClient tables, DirectoryCache cache) : this(tables) => _cache = cache;

    private TableClient Table => tables.GetTableClient(TableNames.CallerIds);

    /// <summary>The org holding <paramref name="phoneNumber"/>, or null. One point read: cheap enough for every call.</summary>
    public virtual Task<string?> GetOwnerAsync(string phoneNumber, CancellationToken cancellationToken = default) =>
        _cache.ReadThroughAsync(TableNames.CallerIds, CallerIdEntity.Partition, phoneNumber, async ct =>
        {
            var row = await Table.GetEntityIfExistsAsync<CallerIdEntity>(CallerIdEntity.Partition, phoneNumber, cancellationToken: ct);
            return row.HasValue ? row.Value!.OrgId : null;
        }, cancellationToken);

    public virtual async Task<bool> IsAssignedAsync(string orgId, string phoneNumber, CancellationToken cancellationToken = default) =>
        await GetOwnerAsync(phoneNumber, cancellationToken) == orgId;

    public virtual async Task<IReadOnlyList<CallerIdAssignment>> ListAsync(string orgId, CancellationToken cancellationToken = default)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {CallerIdEntity.Partition} and OrgId eq {orgId}");
        var list = new List<CallerIdAssignment>();
        await foreach (var row in Table.QueryAsync<CallerIdEntity>(filter, cancellationToken: cancellationToken))
        {
            list.Add(row.ToAssignment());
        }
        return list;
    }

    /// <summary>Claims the number for the org; again for the same org is a no-op, for another org a 409.</summary>
    public virtual async Task<Result<CallerIdAssignment>> AssignAsync(CallerIdAssignment assignment, CancellationToken cancellationToken = default)
    {
        using var _ = _cache.InvalidateAfterWrite(TableNames.CallerIds, CallerIdEntity.Partition, assignment.PhoneNumber);
        try
        {
            await Table.AddEntityAsync(new CallerIdEntity
            {
                RowKey = assignment.PhoneNumber, OrgId = assignment.OrgId, AssignedAt = assignment.AssignedAt, AssignedBy = assignment.AssignedBy,
            }, cancellationToken);
            return assignment;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            var existing = await Table.GetEntityIfExistsAsync<CallerIdEntity>(CallerIdEntity.Partition, assignment.PhoneNumber, cancellationToken: cancellationToken);
            if (existing.HasValue && existing.Value!.OrgId == assignment.OrgId)
            {
                return existing.Value.ToAssignment();
            }
            return Failure.Conflict(AssignedElsewhere, $"{assignment.PhoneNumber} is already assigned to another org. Release it there first.");
        }
    }

    /// <summary>Releases the number if <paramref name="orgId"/> holds it; false when it does not.</summary>
    public virtual async Task<bool> ReleaseAsync(string orgId, string phoneNumber, CancellationToken cancellationToken = default)
    {
        using var _ = _cache.InvalidateAfterWrite(TableNames.CallerIds, CallerIdEntity.Partition, phoneNumber);
        var row = await Table.GetEntityIfExistsAsync<CallerIdEntity>(CallerIdEntity.Partition, phoneNumber, cancellationToken: cancellationToken);
        if (!row.HasValue || row.Value!.OrgId != orgId)
        {
            return false;
        }
        try
        {
            await Table.DeleteEntityAsync(CallerIdEntity.Partition, phoneNumber, row.Value.ETag, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 404 or 412)
        {
            return false; // released or reassigned meanwhile
        }
    }

    /// <summary>Writes an assignment unconditionally (demo seed).</summary>
    public virtual async Task UpsertAsync(CallerIdAssignment assignment, CancellationToken cancellationToken = default)
    {
        using var _ = _cache.InvalidateAfterWrite(TableNames.CallerIds, CallerIdEntity.Partition, assignment.PhoneNumber);
        await Table.UpsertEntityAsync(new CallerIdEntity
        {
            RowKey = assignment.PhoneNumber, OrgId = assignment.OrgId, AssignedAt = assignment.AssignedAt, AssignedBy = assignment.AssignedBy,
        }, TableUpdateMode.Replace, cancellationToken);
    }
}
