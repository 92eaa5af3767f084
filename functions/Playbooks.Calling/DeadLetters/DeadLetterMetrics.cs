using System.Diagnostics.Metrics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Playbooks.Calling.DeadLetters;

/// <summary>The dead-letter depth as a gauge on the "Playbooks.Calling" meter, as last counted.</summary>
public sealed class DeadLetterMetrics : IDisposable
{
    public const string MeterName = "Playbooks.Calling";
    public const string DepthInstrument = "playbooks.call_events.dead_letters";

    private readonly Meter meter = new(MeterName);
    private long depth = -1;

    public DeadLetterMetrics()
    {
        meter.CreateObservableGauge(DepthInstrument, Measurements, unit: "{message}",
            description: "Call events in the dead-letter queue (counted up to the list limit).");
    }

    internal Meter Meter => meter;

    public void Observe(int count) => Interlocked.Exchange(ref depth, count);

    public void Dispose() => meter.Dispose();

    // Nothing is reported until the queue has been counted once.
    private IEnumerable<Measurement<long>> Measurements()
    {
        var value = Interlocked.Read(ref depth);
        return value < 0 ? [] : [new Measurement<long>(value)];
    }
}

/// <summary>Counts the dead letters every minute so the gauge stays current without anyone opening the page.</summary>
internal sealed class DeadLetterDepthMonitor(IDeadLetterQueue queue, DeadLetterMetrics metrics, TimeProvider time, ILogger<DeadLetterDepthMonitor> logger)
    : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        do
        {
            try
            {
                metrics.Observe((await queue.PeekAsync(DeadLetterService.MaxListed, stoppingToken)).Count);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(ex, "Could not count the dead-lettered call events");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
