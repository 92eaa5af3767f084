using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Playbooks.Calling.Telemetry;

namespace Playbooks.Calling.DeadLetters;

/// <summary>Reports the dead-letter depth, as last counted, on the shared meter's gauge <see cref="PlaybooksTelemetry.DeadLettersInstrument"/>.</summary>
public class DeadLetterMetrics
{
    public virtual void Observe(int count) => PlaybooksTelemetry.ObserveDeadLetterDepth(count);
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
