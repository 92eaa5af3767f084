using Microsoft.Extensions.Options;
using Playbooks.Calling.Activity;
using Playbooks.Calling.Audit;
using Playbooks.Calling.Identity;
using Playbooks.Calling.Storage;

namespace Playbooks.Calling.Crm;

/// <summary>An activity the CRM refused (kind <c>sync-failed</c>), or wrote with something left out (kind <c>warning</c>), as admins see it.</summary>
public sealed record CrmSyncFailure(
    string CallSid, string? UserId, string? ProspectNumber, DateTimeOffset? EndedAt, string? Message, int Attempts)
{
    public const string FailedKind = "sync-failed";
    public const string WarningKind = "warning";

    public string Kind { get; init; } = FailedKind;
}

public sealed record CrmRetryResult(IReadOnlyList<CrmSyncOutcome> Outcomes, IReadOnlyList<string> NotFailed);

/// <summary>An admin's view of the org's CRM: the setting, a connection test, and the activities that failed to sync.</summary>
public class CrmAdminService(
    CrmConnectionStore store,
    IEnumerable<ICrmConnector> connectors,
    IActivityRepository activities,
    CrmSyncRunner runner,
    AuditService audit,
    IOptions<CrmOptions> options,
    CrmSyncWarnings warnings)
{
    public const string AuditTarget = "crm";
    public const int MaxRetry = 200;

    public virtual async Task<Result<CrmConnection>> GetAsync(Caller caller, CancellationToken cancellationToken = default)
    {
        if (RequireAdmin(caller) is { } denied)
        {
            return denied;
        }
        return await store.GetAsync(caller.OrgId, cancellationToken);
    }

    public virtual async Task<Result<CrmConnection>> UpdateAsync(
        Caller caller, CrmConnectionInput input, string? ifMatch, CancellationToken cancellationToken = default)
    {
        if (RequireAdmin(caller) is { } denied)
        {
            return denied;
        }
        var next = CrmConnectionValidation.Validate(caller.OrgId, input, options.Value.AllowLoopbackHttp);
        if (next.Failure is { } invalid)
        {
            return invalid;
        }
        var current = await store.GetAsync(caller.OrgId, cancellationToken);
        var version = string.IsNullOrEmpty(ifMatch) ? current.Version : ifMatch;
        if (version is not null && !TableQueries.IsWellFormedVersion(version))
        {
            return Failure.StaleEdit("The CRM setting");
        }
        return await audit.RecordChangeAsync(caller, caller.OrgId, "crm.updated", AuditTarget, caller.OrgId,
            current with { Version = null }, next.Value! with { Version = null },
            () => store.SaveAsync(next.Value!, version, cancellationToken), cancellationToken);
    }

    public virtual async Task<Result<CrmConnectionTest>> TestAsync(Caller caller, CancellationToken cancellationToken = default)
    {
        if (RequireAdmin(caller) is { } denied)
        {
            return denied;
        }
        var connection = await store.GetAsync(caller.OrgId, cancellationToken);
        var connector = connectors.FirstOrDefault(c => c.Provider == connection.Provider);
        if (connector is null)
        {
            return Failure.Invalid("provider", "This org writes to no CRM; choose Salesforce or Dynamics first.", "crm-not-configured");
        }
        var test = await connector.TestAsync(connection, cancellationToken);
        await audit.RecordAsync(caller, caller.OrgId, "crm.tested", AuditTarget, caller.OrgId,
            null, new { test.Success, test.Provider, test.Message }, cancellationToken);
        return test;
    }

    public virtual async Task<Result<IReadOnlyList<CrmSyncFailure>>> ListFailuresAsync(Caller caller, CancellationToken cancellationToken = default)
    {
        if (RequireAdmin(caller) is { } denied)
        {
            return denied;
        }
        var failed = await activities.ListByCrmSyncAsync(caller.OrgId, CrmSyncState.SyncFailed, MaxRetry, cancellationToken);
        var warned = await warnings.ListAsync(caller.OrgId, MaxRetry, cancellationToken);
        return failed
            .Select(f => f.Activity)
            .Select(a => new CrmSyncFailure(a.AgentCallSid, a.UserId, a.ProspectNumber, a.EndedAt, a.CrmSyncMessage, a.CrmSyncAttempts))
            .Concat(warned)
            .ToList();
    }

    /// <summary>Sets the chosen (or all) sync-failed activities pending again and syncs them now.</summary>
    public virtual async Task<Result<CrmRetryResult>> RetryAsync(
        Caller caller, IReadOnlyList<string>? callSids, CancellationToken cancellationToken = default)
    {
        if (RequireAdmin(caller) is { } denied)
        {
            return denied;
        }
        if (callSids is { Count: > MaxRetry })
        {
            return Failure.Invalid("callSids", $"Retry at most {MaxRetry} calls at a time.");
        }
        if (callSids?.FirstOrDefault(s => !TableKeys.IsValid(s)) is { } bad)
        {
            return Failure.Invalid("callSids", $"'{bad}' is not a call SID.");
        }
        var (failed, notFailed) = await FindFailedAsync(caller.OrgId, callSids, cancellationToken);
        var reset = new List<StoredActivity>();
        foreach (var stored in failed)
        {
            var pending = stored.Activity with { CrmSync = CrmSyncState.Pending, CrmSyncMessage = null, CrmSyncAttempts = 0 };
            if (await activities.TryReplaceAsync(pending, stored.Version, cancellationToken) is { } version)
            {
                reset.Add(new StoredActivity(pending, version));
            }
        }
        var outcomes = await runner.SyncAndStoreAsync(reset, cancellationToken);
        await audit.RecordAsync(caller, caller.OrgId, "crm.retried", AuditTarget, caller.OrgId,
            new { CallSids = reset.Select(r => r.Activity.AgentCallSid).ToList(), NotFailed = notFailed },
            new
            {
                Synced = outcomes.Count(o => o.Result == CrmSyncResult.Synced),
                Failed = outcomes.Where(o => o.Result == CrmSyncResult.Failed).Select(o => o.Key.AgentCallSid).ToList(),
                RetryLater = outcomes.Count(o => o.Result == CrmSyncResult.RetryLater),
            },
            cancellationToken);
        return new CrmRetryResult(outcomes, notFailed);
    }

    private async Task<(List<StoredActivity> Failed, List<string> NotFailed)> FindFailedAsync(
        string orgId, IReadOnlyList<string>? callSids, CancellationToken cancellationToken)
    {
        if (callSids is not { Count: > 0 })
        {
            return ([.. await activities.ListByCrmSyncAsync(orgId, CrmSyncState.SyncFailed, MaxRetry, cancellationToken)], []);
        }
        var failed = new List<StoredActivity>();
        var notFailed = new List<string>();
        foreach (var sid in callSids.Distinct(StringComparer.Ordinal))
        {
            var stored = await activities.GetAsync(new ActivityKey(orgId, sid), cancellationToken);
            if (stored?.Activity.CrmSync == CrmSyncState.SyncFailed)
            {
                failed.Add(stored);
            }
            else
            {
                notFailed.Add(sid);
            }
        }
        return (failed, notFailed);
    }

    private static Failure? RequireAdmin(Caller caller) =>
        caller.IsAdmin ? null : Failure.Forbidden("requires-admin", "Only admins can manage the CRM connection.");
}
