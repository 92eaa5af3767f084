using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Playbooks.Calling.Activity;

namespace Playbooks.Calling.Crm;

/// <summary>
/// Drives the CRM sync from the activity store: finds each org's pending activities, syncs them, and stores the
/// outcome on each activity (synced, sync-failed with the CRM's message, or still pending with the attempt counted).
/// Every write of an org's activities, the timer's and an admin's retry alike, runs under the org's lease, so two
/// instances never query and create the same CRM records side by side.
/// </summary>
public class CrmSyncRunner(
    IActivityRepository activities,
    CrmConnectionStore connections,
    CrmSyncService sync,
    CrmOrgHolds holds,
    CrmSyncLeases leases,
    IOptions<CrmOptions> options,
    ILogger<CrmSyncRunner> logger,
    CrmSyncWarnings warnings)
{
    /// <summary>One timer run: every org with a CRM, side by side; returns how many activities reached a final state.</summary>
    public virtual async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var orgs = await connections.ListConfiguredAsync(cancellationToken);
        var settled = 0;
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.Value.MaxParallelOrgs, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(orgs, parallel, async (org, ct) =>
        {
            try
            {
                var outcomes = await SyncOrgAsync(org.OrgId, ct);
                Interlocked.Add(ref settled, outcomes.Count(o => o.Result is CrmSyncResult.Synced or CrmSyncResult.Failed));
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "CRM sync run of org {OrgId} failed; its activities stay pending", org.OrgId);
            }
        });
        return settled;
    }

    /// <summary>
    /// Syncs one org's pending, ended activities now, unless another writer holds the org's lease or the org is waiting
    /// out a Retry-After or backoff. The pending rows are read after the lease is taken, so none is written twice.
    /// </summary>
    public virtual async Task<IReadOnlyList<CrmSyncOutcome>> SyncOrgAsync(string orgId, CancellationToken cancellationToken)
    {
        var attempt = await leases.TryAcquireAsync(orgId, cancellationToken);
        if (attempt.Lease is not { } lease)
        {
            return [];
        }
        return await UnderLeaseAsync(lease, async () =>
        {
            var pending = await activities.ListByCrmSyncAsync(orgId, CrmSyncState.Pending, options.Value.MaxActivitiesPerOrgRun, cancellationToken);
            var due = pending.Where(p => p.Activity.Status?.IsTerminal() == true).ToList();
            return await StoreOutcomesAsync(due, cancellationToken);
        }, cancellationToken);
    }

    /// <summary>
    /// Syncs the given stored activities (an admin's retry) under their orgs' leases and stores each outcome. An org
    /// whose lease another writer holds, or that is held, answers retry-later without asking the CRM; its activities
    /// stay pending for the next run.
    /// </summary>
    public virtual async Task<IReadOnlyList<CrmSyncOutcome>> SyncAndStoreAsync(IReadOnlyList<StoredActivity> due, CancellationToken cancellationToken)
    {
        var outcomes = new List<CrmSyncOutcome>(due.Count);
        foreach (var org in due.GroupBy(d => d.Activity.OrgId, StringComparer.Ordinal))
        {
            var attempt = await leases.TryAcquireAsync(org.Key, cancellationToken);
            if (attempt.Lease is not { } lease)
            {
                outcomes.AddRange(org.Select(d => d.Activity.Key).Distinct()
                    .Select(k => CrmSyncOutcome.RetryLater(k, attempt.Reason!, attempt.NotBefore) with { Attempted = false }));
                continue;
            }
            outcomes.AddRange(await UnderLeaseAsync(lease, () => StoreOutcomesAsync(org.ToList(), cancellationToken), cancellationToken));
        }
        return outcomes;
    }

    /// <summary>Runs one org's writes with the hold stored on its lease, and gives the lease back with the hold after them.</summary>
    private async Task<IReadOnlyList<CrmSyncOutcome>> UnderLeaseAsync(
        CrmLease lease, Func<Task<IReadOnlyList<CrmSyncOutcome>>> run, CancellationToken cancellationToken)
    {
        holds.Restore(lease.OrgId, lease.Hold);
        try
        {
            return await run();
        }
        finally
        {
            // Given back even when the run was cancelled, so the org does not wait out the whole lease.
            await leases.ReleaseAsync(lease, holds.Snapshot(lease.OrgId), CancellationToken.None);
        }
    }

    private async Task<IReadOnlyList<CrmSyncOutcome>> StoreOutcomesAsync(IReadOnlyList<StoredActivity> due, CancellationToken cancellationToken)
    {
        if (due.Count == 0)
        {
            return [];
        }
        var outcomes = await sync.SyncAsync(due.Select(d => d.Activity).ToList(), cancellationToken);
        var byKey = due.GroupBy(d => d.Activity.Key).ToDictionary(g => g.Key, g => g.Last());
        foreach (var outcome in outcomes)
        {
            var stored = byKey[outcome.Key];
            await StoreAsync(stored, outcome, cancellationToken);
            await KeepWarningAsync(stored.Activity, outcome, cancellationToken);
        }
        return outcomes;
    }

    /// <summary>The activity after an outcome, or null when nothing about it changes.</summary>
    public static CallActivity? Apply(CallActivity activity, CrmSyncOutcome outcome, int maxAttempts) => outcome switch
    {
        { Result: CrmSyncResult.Synced } => activity.MarkCrmSynced() with { CrmSyncMessage = outcome.Warning },
        { Result: CrmSyncResult.Failed } => activity.MarkCrmSyncFailed(outcome.Message ?? "The CRM refused the activity."),
        { Result: CrmSyncResult.RetryLater, Attempted: true } when activity.CrmSyncAttempts + 1 >= maxAttempts =>
            activity.MarkCrmSyncFailed($"Gave up after {activity.CrmSyncAttempts + 1} attempts: {outcome.Message}"),
        { Result: CrmSyncResult.RetryLater, Attempted: true } =>
            activity with { CrmSyncAttempts = activity.CrmSyncAttempts + 1, CrmSyncMessage = outcome.Message },
        _ => null,
    };

    /// <summary>Lists a synced activity's warning for admins, or clears an old one once a write of a whoId carried it.</summary>
    private async Task KeepWarningAsync(CallActivity activity, CrmSyncOutcome outcome, CancellationToken cancellationToken)
    {
        if (outcome.Result != CrmSyncResult.Synced)
        {
            return;
        }
        if (outcome.Warning is { } warning)
        {
            await warnings.RecordAsync(activity, warning, cancellationToken);
        }
        else if (!string.IsNullOrEmpty(activity.CrmWhoId))
        {
            await warnings.ClearAsync(activity.Key, cancellationToken);
        }
    }

    private async Task StoreAsync(StoredActivity stored, CrmSyncOutcome outcome, CancellationToken cancellationToken)
    {
        var maxAttempts = options.Value.MaxAttempts;
        if (Apply(stored.Activity, outcome, maxAttempts) is not { } next
            || await activities.TryReplaceAsync(next, stored.Version, cancellationToken) is not null)
        {
            return;
        }
        // An event arrived meanwhile. If the CRM still shows what it shows now, the outcome holds for the fresh
        // activity; if not, the merge made it pending again and the next run writes the new content.
        var fresh = await activities.GetAsync(stored.Activity.Key, cancellationToken);
        if (fresh is not null && fresh.Activity.CrmView == stored.Activity.CrmView
            && Apply(fresh.Activity, outcome, maxAttempts) is { } again
            && await activities.TryReplaceAsync(again, fresh.Version, cancellationToken) is null)
        {
            logger.LogInformation("Activity {Key} changed twice during its CRM sync; it stays as stored", stored.Activity.Key);
        }
    }
}
