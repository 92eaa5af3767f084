using Playbooks.Calling.Audit;
using Playbooks.Calling.Identity;
using Playbooks.Calling.Storage;

namespace Playbooks.Calling.DeadLetters;

/// <summary>What a replay put back on the queue.</summary>
public sealed record DeadLetterReplay(int Replayed, IReadOnlyList<DeadLetter> Items);

/// <summary>
/// Dead-lettered call events for operators: an Admin lists and replays their org's, Support lists every org's. A
/// replay is audited first, like every privileged change.
/// </summary>
public class DeadLetterService(IDeadLetterQueue queue, AuditService audit, DeadLetterMetrics metrics)
{
    /// <summary>How many dead letters a list looks at (the whole queue, all orgs, before filtering).</summary>
    public const int MaxListed = 500;

    /// <summary>How many one replay-all puts back.</summary>
    public const int MaxReplayed = 1000;

    public const string AuditTarget = "dead-letter";

    public virtual async Task<Result<IReadOnlyList<DeadLetter>>> ListAsync(Caller caller, CancellationToken cancellationToken = default)
    {
        if (!caller.IsAdmin)
        {
            return Failure.Forbidden("requires-admin", "Only admins can see their org's failed call events.");
        }
        return (await PeekAsync(cancellationToken)).Where(d => d.OrgId == caller.OrgId).ToList();
    }

    /// <summary>Support: every org's dead letters, or one org's when <paramref name="orgId"/> is given.</summary>
    public virtual async Task<Result<IReadOnlyList<DeadLetter>>> ListAllAsync(Caller caller, string? orgId, CancellationToken cancellationToken = default)
    {
        if (!caller.IsSupport)
        {
            return Failure.Forbidden("requires-support", "Only Support can do this.");
        }
        if (orgId is not null && !TableKeys.IsValid(orgId))
        {
            return Failure.Invalid("orgId", "orgId is not an org id.");
        }
        var all = await PeekAsync(cancellationToken);
        var shown = orgId is null ? all.ToList() : all.Where(d => d.OrgId == orgId).ToList();
        // Each customer org whose failed events Support saw gets an entry in its audit log, in parallel.
        await Task.WhenAll(shown.Select(d => d.OrgId).OfType<string>().Where(o => o != caller.OrgId && TableKeys.IsValid(o)).Distinct(StringComparer.Ordinal)
            .Select(o => audit.RecordAsync(caller, o, "dead-letters.read-by-support", AuditTarget, o, null, null, cancellationToken)));
        return shown;
    }

    public virtual async Task<Result<DeadLetterReplay>> ReplayAsync(Caller caller, string id, CancellationToken cancellationToken = default)
    {
        if (!caller.IsAdmin)
        {
            return Failure.Forbidden("requires-admin", "Only admins can replay failed call events.");
        }
        if (!TableKeys.IsValid(id) || id.Length > 128)
        {
            return Failure.Invalid("id", "id is not a dead-letter id.");
        }
        return await audit.RecordChangeAsync<DeadLetterReplay>(caller, caller.OrgId, "dead-letter.replayed", AuditTarget, id, null, new { Id = id },
            async () =>
            {
                var replayed = await queue.ReplayAsync(d => d.Id == id && d.OrgId == caller.OrgId, 1, cancellationToken);
                return replayed.Count == 0 ? Failure.NotFound("The dead letter") : new DeadLetterReplay(replayed.Count, replayed);
            }, cancellationToken);
    }

    public virtual async Task<Result<DeadLetterReplay>> ReplayAllAsync(Caller caller, CancellationToken cancellationToken = default)
    {
        if (!caller.IsAdmin)
        {
            return Failure.Forbidden("requires-admin", "Only admins can replay failed call events.");
        }
        return await audit.RecordChangeAsync<DeadLetterReplay>(caller, caller.OrgId, "dead-letter.replayed-all", AuditTarget, caller.OrgId, null, null,
            async () =>
            {
                var replayed = await queue.ReplayAsync(d => d.OrgId == caller.OrgId, MaxReplayed, cancellationToken);
                return new DeadLetterReplay(replayed.Count, replayed);
            }, cancellationToken);
    }

    private async Task<IReadOnlyList<DeadLetter>> PeekAsync(CancellationToken cancellationToken)
    {
        var all = await queue.PeekAsync(MaxListed, cancellationToken);
        metrics.Observe(all.Count);
        return all;
    }
}
