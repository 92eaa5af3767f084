using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace Playbooks.Calling.Crm;

/// <summary>
/// Which orgs wait before their next CRM request, and for how long: the CRM's Retry-After, or a backoff that doubles
/// with each failed run in a row. Kept per org, so one org's outage or rate limit never delays another.
/// </summary>
/// <remarks>
/// This is the running instance's view; <see cref="CrmSyncRunner"/> loads it from the org's lease row when it takes the
/// lease and stores it there when it gives the lease back, so every instance honours it.
/// </remarks>
public class CrmOrgHolds(IOptions<CrmOptions> options, TimeProvider clock)
{
    private readonly ConcurrentDictionary<string, (DateTimeOffset Until, int Failures)> _holds = new(StringComparer.Ordinal);

    public virtual DateTimeOffset? HeldUntil(string orgId) =>
        _holds.TryGetValue(orgId, out var hold) && hold.Until > clock.GetUtcNow() ? hold.Until : null;

    /// <summary>The wait after the next failure of this org without a Retry-After.</summary>
    public virtual TimeSpan NextBackoff(string orgId)
    {
        var failures = _holds.TryGetValue(orgId, out var hold) ? hold.Failures : 0;
        var o = options.Value;
        var wait = o.MinBackoff * Math.Pow(2, Math.Min(failures, 20));
        return wait < o.MaxBackoff ? wait : o.MaxBackoff;
    }

    public virtual void Hold(string orgId, DateTimeOffset until) =>
        _holds.AddOrUpdate(orgId, (until, 1), (_, held) => (until, held.Failures + 1));

    public virtual void Release(string orgId) => _holds.TryRemove(orgId, out _);

    /// <summary>The org's hold as stored with its lease.</summary>
    public virtual CrmHold Snapshot(string orgId) =>
        _holds.TryGetValue(orgId, out var hold) ? new CrmHold(hold.Until, hold.Failures) : CrmHold.None;

    /// <summary>Takes the hold stored with the org's lease, which another instance may have written.</summary>
    public virtual void Restore(string orgId, CrmHold hold)
    {
        if (hold.Until is null && hold.Failures == 0)
        {
            _holds.TryRemove(orgId, out _);
        }
        else
        {
            _holds[orgId] = (hold.Until ?? DateTimeOffset.MinValue, hold.Failures);
        }
    }
}
