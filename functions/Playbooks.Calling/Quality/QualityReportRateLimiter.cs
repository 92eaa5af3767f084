using System.Threading.RateLimiting;

namespace Playbooks.Calling.Quality;

/// <summary>
/// How many reports one user may send: a token bucket per org and user. Reports come after calls, so a handful a
/// minute is generous for a person and stops a script from filling the org's report list.
/// </summary>
public sealed class QualityReportRateLimiter : IDisposable
{
    public const int DefaultBurst = 5;
    public static readonly TimeSpan DefaultRefillPeriod = TimeSpan.FromMinutes(1);

    private readonly PartitionedRateLimiter<(string OrgId, string UserId)> _limiter;
    private readonly TimeSpan _refillPeriod;

    public QualityReportRateLimiter()
        : this(DefaultBurst, DefaultRefillPeriod)
    {
    }

    /// <param name="burst">Reports a user may send at once.</param>
    /// <param name="refillPeriod">Time for one more report to become available.</param>
    public QualityReportRateLimiter(int burst, TimeSpan refillPeriod)
    {
        _refillPeriod = refillPeriod;
        _limiter = PartitionedRateLimiter.Create<(string OrgId, string UserId), (string, string)>(user =>
            RateLimitPartition.GetTokenBucketLimiter(user, _ => new TokenBucketRateLimiterOptions
            {
                TokenLimit = burst,
                TokensPerPeriod = 1,
                ReplenishmentPeriod = refillPeriod,
                AutoReplenishment = true,
                QueueLimit = 0,
            }));
    }

    /// <summary>Null when the user may send one more report now; otherwise how long until they may.</summary>
    public TimeSpan? TryAcquire(string orgId, string userId)
    {
        using var lease = _limiter.AttemptAcquire((orgId, userId));
        if (lease.IsAcquired)
        {
            return null;
        }

        return lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : _refillPeriod;
    }

    public void Dispose() => _limiter.Dispose();
}
