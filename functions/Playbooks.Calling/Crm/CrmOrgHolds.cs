using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace Playbooks.Calling.Crm;

/// <summary>
/// Which orgs wait before their next CRM request, and for how long: the CRM's Retry-After, or a backoff that doubles
/// with each failed run in a row. Kept per org, so one org's outage or rate limit never delays another.
/// </summary>
/// <remarks>
/// Held in memory: the sync runs in one timer-driven instance, and after a restart the worst case is one early
/// request, which the CRM answers with a fresh Retry-After.
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
}
