namespace Playbooks.DevServer.TwilioSimulator;

/// <summary>
/// Simulated time of one call and its child legs. Waits take <c>seconds × TimeScale</c> of real time; a wait that
/// runs its course advances the clock by exactly its length, so a prospect who hangs up after 5 s reports
/// CallDuration 5 even on a busy machine. A wait cut short (END, REST hang-up) reads the real elapsed time.
/// </summary>
internal sealed class CallClock
{
    private readonly TimeProvider _time;
    private readonly double _scale;
    private readonly DateTimeOffset _origin;
    private readonly Lock _gate = new();
    private DateTimeOffset _logical;

    public CallClock(TimeProvider time, double scale)
    {
        _time = time;
        _scale = scale;
        _origin = time.GetUtcNow();
        _logical = _origin;
    }

    public DateTimeOffset Now
    {
        get
        {
            lock (_gate)
            {
                return _logical;
            }
        }
    }

    /// <summary>Waits <paramref name="seconds"/> of simulated time; false when <paramref name="cancellation"/> cut it short.</summary>
    public async Task<bool> WaitAsync(double seconds, CancellationToken cancellation)
    {
        var target = Now.AddSeconds(Math.Max(0, seconds));
        try
        {
            if (seconds > 0)
            {
                await Task.Delay(TimeSpan.FromSeconds(seconds * _scale), _time, cancellation);
            }
            else
            {
                cancellation.ThrowIfCancellationRequested();
            }

            Advance(target);
            return true;
        }
        catch (OperationCanceledException)
        {
            Advance(Measured());
            return false;
        }
    }

    /// <summary>Brings the clock up to real time, for events that come from outside (END, digits).</summary>
    public DateTimeOffset Sync()
    {
        Advance(Measured());
        return Now;
    }

    private DateTimeOffset Measured() => _origin + (_time.GetUtcNow() - _origin) / _scale;

    private void Advance(DateTimeOffset to)
    {
        lock (_gate)
        {
            if (to > _logical)
            {
                _logical = to;
            }
        }
    }
}
