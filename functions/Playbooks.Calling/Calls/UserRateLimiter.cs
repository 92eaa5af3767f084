using System.Threading.RateLimiting;

namespace Playbooks.Calling.Calls;

/// <summary>The limiter's answer: allowed, or wait <see cref="RetryAfter"/> before trying again.</summary>
public readonly record struct RateLimitDecision(bool Allowed, TimeSpan RetryAfter)
{
    public static RateLimitDecision Allow { get; } = new(true, TimeSpan.Zero);
}

/// <summary>
/// A budget of requests per user (org + user) in fixed windows on <see cref="TimeProvider"/>'s clock, counted by
/// System.Threading.RateLimiting. The window's start is part of the partition key, so a new window starts with a
/// fresh budget on the injected clock, and the partitioned limiter drops idle partitions on its own.
/// State is per process: with several instances a user may get that many per instance, which still bounds abuse.
/// </summary>
public abstract class UserRateLimiter : IDisposable
{
    private readonly TimeSpan _window;
    private readonly TimeProvider _time;
    private readonly PartitionedRateLimiter<PartitionKey> _limiter;

    protected UserRateLimiter(int permitsPerWindow, TimeSpan window, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(permitsPerWindow, 1);
        _window = window;
        _time = time;
        _limiter = PartitionedRateLimiter.Create<PartitionKey, PartitionKey>(key => RateLimitPartition.GetFixedWindowLimiter(
            key,
            _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = permitsPerWindow,
                Window = window,
                QueueLimit = 0,
                AutoReplenishment = false,
            }));
    }

    public virtual RateLimitDecision TryAcquire(string orgId, string userId)
    {
        var now = _time.GetUtcNow();
        var windowStart = now.UtcTicks - (now.UtcTicks % _window.Ticks);
        using var lease = _limiter.AttemptAcquire(new PartitionKey(orgId, userId, windowStart));
        if (lease.IsAcquired)
        {
            return RateLimitDecision.Allow;
        }

        var retryAfter = new DateTimeOffset(windowStart, TimeSpan.Zero) + _window - now;
        // Retry-After is sent in whole seconds; round up so a client that waits is let in.
        return new RateLimitDecision(false, TimeSpan.FromSeconds(Math.Max(1, Math.Ceiling(retryAfter.TotalSeconds))));
    }

    public void Dispose()
    {
        _limiter.Dispose();
        GC.SuppressFinalize(this);
    }

    private readonly record struct PartitionKey(string OrgId, string UserId, long WindowStartTicks);
}
