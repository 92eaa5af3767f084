namespace Playbooks.DevServer;

/// <summary>
/// The dev server's stand-in for a timer-triggered function: the same run every <paramref name="interval"/>. A failed run
/// is logged and the next one follows on time.
/// </summary>
internal abstract class TimerLoop(TimeSpan interval, ILogger logger) : BackgroundService
{
    /// <summary>What the run is, for the log: "The CRM sync run".</summary>
    protected abstract string Name { get; }

    protected abstract Task RunAsync(CancellationToken cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(interval, stoppingToken);
                await RunAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "{Run} failed; trying again in {Interval}", Name, interval);
            }
        }
    }
}
