using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Playbooks.Calling.Activity;

namespace Playbooks.Calling.Crm;

/// <summary>
/// Writes finished activities into their orgs' CRMs and says what happened to each. Orgs run side by side and apart:
/// an org whose CRM is down, slow or rate-limited only delays its own activities.
/// </summary>
public class CrmSyncService(
    CrmConnectionStore connections,
    IEnumerable<ICrmConnector> connectors,
    CrmOrgHolds holds,
    IOptions<CrmOptions> options,
    TimeProvider clock,
    ILogger<CrmSyncService> logger)
{
    private readonly IReadOnlyDictionary<CrmProvider, ICrmConnector> _connectors = connectors.ToDictionary(c => c.Provider);

    /// <summary>
    /// One outcome per distinct activity (the last of duplicates counts), in input order. Activities whose call has
    /// not ended are skipped; the caller stores Synced and Failed, and keeps RetryLater pending until NotBefore.
    /// </summary>
    public virtual async Task<IReadOnlyList<CrmSyncOutcome>> SyncAsync(IReadOnlyList<CallActivity> due, CancellationToken cancellationToken)
    {
        var latest = new Dictionary<ActivityKey, CallActivity>();
        foreach (var activity in due)
        {
            latest[activity.Key] = activity;
        }
        var outcomes = new ConcurrentDictionary<ActivityKey, CrmSyncOutcome>();
        var orgs = latest.Values.GroupBy(a => a.OrgId, StringComparer.Ordinal);
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.Value.MaxParallelOrgs, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(orgs, parallel, async (org, ct) =>
        {
            foreach (var outcome in await SyncOrgAsync(org.Key, org.ToList(), ct))
            {
                outcomes[outcome.Key] = outcome;
            }
        });
        return latest.Keys.Select(k => outcomes[k]).ToList();
    }

    private async Task<IReadOnlyList<CrmSyncOutcome>> SyncOrgAsync(string orgId, List<CallActivity> activities, CancellationToken cancellationToken)
    {
        var outcomes = activities
            .Where(a => a.Status?.IsTerminal() != true)
            .Select(a => CrmSyncOutcome.Skipped(a.Key, "The call has not ended yet."))
            .ToList();
        var ended = activities.Where(a => a.Status?.IsTerminal() == true).ToList();
        if (ended.Count == 0)
        {
            return outcomes;
        }
        if (holds.HeldUntil(orgId) is { } heldUntil)
        {
            outcomes.AddRange(ended.Select(a => CrmSyncOutcome.RetryLater(a.Key, "The CRM asked us to wait.", heldUntil) with { Attempted = false }));
            return outcomes;
        }
        outcomes.AddRange(await WriteAsync(orgId, ended, cancellationToken));
        HoldOrRelease(orgId, outcomes);
        return outcomes;
    }

    private async Task<IReadOnlyList<CrmSyncOutcome>> WriteAsync(string orgId, List<CallActivity> ended, CancellationToken cancellationToken)
    {
        try
        {
            var connection = await connections.GetAsync(orgId, cancellationToken);
            if (connection.Provider == CrmProvider.None || !_connectors.TryGetValue(connection.Provider, out var connector))
            {
                return ended.Select(a => CrmSyncOutcome.Skipped(a.Key, "The org writes to no CRM.")).ToList();
            }
            return await connector.WriteAsync(connection, ended, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Our own failure (storage, a bug) must not lose the activities: they stay pending for the next run.
            logger.LogError(e, "CRM sync of org {OrgId} failed", orgId);
            return ended.Select(a => CrmSyncOutcome.RetryLater(a.Key, $"The sync failed on our side: {e.GetType().Name}.", null)).ToList();
        }
    }

    /// <summary>Gives undated retries the org's backoff and holds the org until the latest of them.</summary>
    private void HoldOrRelease(string orgId, List<CrmSyncOutcome> outcomes)
    {
        var backoffUntil = clock.GetUtcNow() + holds.NextBackoff(orgId);
        for (var i = 0; i < outcomes.Count; i++)
        {
            if (outcomes[i] is { Result: CrmSyncResult.RetryLater, NotBefore: null } retry)
            {
                outcomes[i] = retry with { NotBefore = backoffUntil };
            }
        }
        var until = outcomes.Where(o => o.Result == CrmSyncResult.RetryLater).Max(o => o.NotBefore);
        if (until is { } u)
        {
            holds.Hold(orgId, u);
            logger.LogWarning("CRM sync of org {OrgId} waits until {Until}: {Reason}", orgId, u,
                outcomes.First(o => o.Result == CrmSyncResult.RetryLater).Message);
        }
        else
        {
            holds.Release(orgId);
        }
    }
}
