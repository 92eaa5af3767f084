using Playbooks.Calling.Activity;

namespace Playbooks.Calling.Crm;

/// <summary>What the CRM sync needs from the activity store (the <c>Activities</c> table, PK org, RK agent call SID).</summary>
public interface IActivityRepository
{
    Task<StoredActivity?> GetAsync(ActivityKey key, CancellationToken cancellationToken);

    /// <summary>Up to <paramref name="max"/> of the org's activities in the given sync state.</summary>
    Task<IReadOnlyList<StoredActivity>> ListByCrmSyncAsync(string orgId, CrmSyncState state, int max, CancellationToken cancellationToken);

    /// <summary>Replaces the activity if it is still at <paramref name="version"/>: its new version, or null when it changed since.</summary>
    Task<string?> TryReplaceAsync(CallActivity activity, string version, CancellationToken cancellationToken);
}

/// <summary>An activity and the ETag it was read at.</summary>
public sealed record StoredActivity(CallActivity Activity, string Version);

/// <summary>Stands in until the activity store registers its adapter: with no store there are no activities to sync.</summary>
internal sealed class NoActivityStore : IActivityRepository
{
    public Task<StoredActivity?> GetAsync(ActivityKey key, CancellationToken cancellationToken) => Task.FromResult<StoredActivity?>(null);

    public Task<IReadOnlyList<StoredActivity>> ListByCrmSyncAsync(string orgId, CrmSyncState state, int max, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<StoredActivity>>([]);

    public Task<string?> TryReplaceAsync(CallActivity activity, string version, CancellationToken cancellationToken) => Task.FromResult<string?>(null);
}
