using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Playbooks.Calling.Storage;

namespace Playbooks.Calling.Crm;

/// <summary>An org's wait before its next CRM request (Retry-After or backoff) and its failed runs in a row.</summary>
public readonly record struct CrmHold(DateTimeOffset? Until, int Failures)
{
    public static CrmHold None { get; } = new(null, 0);
}

/// <summary>The right to write one org's activities to its CRM until <see cref="ExpiresAt"/>, read at <see cref="Version"/>.</summary>
public sealed record CrmLease(string OrgId, string Version, DateTimeOffset ExpiresAt, CrmHold Hold);

/// <summary>A lease, or why there is none: another writer holds it, or the org waits out a hold, until <see cref="NotBefore"/>.</summary>
public sealed record CrmLeaseAttempt(CrmLease? Lease, DateTimeOffset? NotBefore, string? Reason)
{
    public static CrmLeaseAttempt Busy(DateTimeOffset until) => new(null, until, "Another CRM sync of this org is running; these calls are written after it.");

    public static CrmLeaseAttempt Held(DateTimeOffset until) => new(null, until, "The CRM asked us to wait.");
}

/// <summary>
/// One CRM writer per org across every instance: a row per org in the CrmConnections table (RowKey <c>sync-lease</c>)
/// taken and given back under its ETag. The org's hold is stored on the same row, so every instance honours a
/// Retry-After another instance was given. A writer that dies keeps the org waiting at most <see cref="CrmOptions.LeaseDuration"/>.
/// </summary>
public class CrmSyncLeases(TableServiceClient tables, IOptions<CrmOptions> options, TimeProvider clock, ILogger<CrmSyncLeases> logger)
{
    public const string RowKey = "sync-lease";

    private TableClient Table => tables.GetTableClient(TableNames.CrmConnections);

    /// <summary>The org's lease when it is free and the org is not held; one read and one conditional write.</summary>
    public virtual async Task<CrmLeaseAttempt> TryAcquireAsync(string orgId, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var response = await Table.GetEntityIfExistsAsync<TableEntity>(orgId, RowKey, cancellationToken: cancellationToken);
        var row = response.HasValue ? response.Value : null;
        var hold = row is null ? CrmHold.None : new CrmHold(row.GetDateTimeOffset("HeldUntil"), row.GetInt32("Failures") ?? 0);
        if (row?.GetDateTimeOffset("ExpiresAt") is { } expires && expires > now)
        {
            return CrmLeaseAttempt.Busy(expires);
        }
        if (hold.Until is { } until && until > now)
        {
            return CrmLeaseAttempt.Held(until);
        }
        var expiresAt = now + options.Value.LeaseDuration;
        var entity = Entity(orgId, expiresAt, hold);
        try
        {
            var written = row is null
                ? await Table.AddEntityAsync(entity, cancellationToken)
                : await Table.UpdateEntityAsync(entity, row.ETag, TableUpdateMode.Replace, cancellationToken);
            return new CrmLeaseAttempt(new CrmLease(orgId, written.Headers.ETag!.Value.ToString(), expiresAt, hold), null, null);
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            // Another writer took it between our read and our write.
            return CrmLeaseAttempt.Busy(expiresAt);
        }
    }

    /// <summary>Gives the lease back with the org's hold after this run; a lease that expired and was taken over is left alone.</summary>
    public virtual async Task ReleaseAsync(CrmLease lease, CrmHold hold, CancellationToken cancellationToken)
    {
        try
        {
            await Table.UpdateEntityAsync(Entity(lease.OrgId, null, hold), new ETag(lease.Version), TableUpdateMode.Replace, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status is 404 or 412)
        {
            logger.LogWarning("The CRM sync lease of org {OrgId} expired before the run ended; raise Crm:LeaseDuration", lease.OrgId);
        }
    }

    private static TableEntity Entity(string orgId, DateTimeOffset? expiresAt, CrmHold hold)
    {
        var entity = new TableEntity(orgId, RowKey) { ["Failures"] = hold.Failures };
        if (expiresAt is { } e) entity["ExpiresAt"] = e;
        if (hold.Until is { } u) entity["HeldUntil"] = u;
        return entity;
    }
}
