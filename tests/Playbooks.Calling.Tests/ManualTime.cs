namespace Playbooks.Calling.Tests;

/// <summary>A clock that moves only when a test moves it.</summary>
internal sealed class ManualTime(DateTimeOffset start) : TimeProvider
{
    private long elapsedTicks;

    public ManualTime() : this(new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero))
    {
    }

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => Interlocked.Read(ref elapsedTicks);

    public override DateTimeOffset GetUtcNow() => start + TimeSpan.FromTicks(Interlocked.Read(ref elapsedTicks));

    public void Advance(TimeSpan by) => Interlocked.Add(ref elapsedTicks, by.Ticks);
}
