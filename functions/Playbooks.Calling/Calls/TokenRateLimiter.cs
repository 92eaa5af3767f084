using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Playbooks.Calling.Twilio;

namespace Playbooks.Calling.Calls;

/// <summary>The limiter's answer: allowed, or wait <see cref="RetryAfter"/> before trying again.</summary>
public readonly record struct RateLimitDecision(bool Allowed, TimeSpan RetryAfter)
{
    public static RateLimitDecision Allow { get; } = new(true, TimeSpan.Zero);
}

/// <summary>
/// Token mints per user in a sliding one-minute window (<see cref="TwilioOptions.TokenRequestsPerMinute"/>).
/// State is per process: with several instances a user may get that many per instance, which still bounds abuse.
/// </summary>
public class TokenRateLimiter(IOptions<TwilioOptions> options, TimeProvider time)
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private const int SweepThreshold = 10_000;

    private readonly int _limit = options.Value.TokenRequestsPerMinute;

    private readonly ConcurrentDictionary<(string OrgId, string UserId), Queue<DateTimeOffset>> _recent = new();

    private long _nextSweepTicks;

    /// <summary>Users with a recent mint still remembered.</summary>
    internal int TrackedUsers => _recent.Count;

    public virtual RateLimitDecision TryAcquire(string orgId, string userId)
    {
        var now = time.GetUtcNow();
        var nextSweep = Interlocked.Read(ref _nextSweepTicks);
        // At most one sweep check a minute: counting a concurrent dictionary takes all its locks.
        if (now.UtcTicks >= nextSweep
            && Interlocked.CompareExchange(ref _nextSweepTicks, (now + Window).UtcTicks, nextSweep) == nextSweep
            && _recent.Count > SweepThreshold)
        {
            Sweep(now);
        }

        var key = (orgId, userId);
        while (true)
        {
            var stamps = _recent.GetOrAdd(key, _ => new Queue<DateTimeOffset>());
            lock (stamps)
            {
                if (!ReferenceEquals(_recent.GetValueOrDefault(key), stamps))
                {
                    continue; // swept away meanwhile; count on the live queue
                }

                while (stamps.Count > 0 && stamps.Peek() <= now - Window)
                {
                    stamps.Dequeue();
                }

                if (stamps.Count >= _limit)
                {
                    var retryAfter = stamps.Peek() + Window - now;
                    // Retry-After is sent in whole seconds; round up so a client that waits is let in.
                    return new RateLimitDecision(false, TimeSpan.FromSeconds(Math.Max(1, Math.Ceiling(retryAfter.TotalSeconds))));
                }

                stamps.Enqueue(now);
                return RateLimitDecision.Allow;
            }
        }
    }

    private void Sweep(DateTimeOffset now)
    {
        foreach (var (key, stamps) in _recent)
        {
            lock (stamps)
            {
                if (stamps.Count == 0 || stamps.Last() <= now - Window)
                {
                    _recent.TryRemove(new KeyValuePair<(string, string), Queue<DateTimeOffset>>(key, stamps));
                }
            }
        }
    }
}
