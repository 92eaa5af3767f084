using Microsoft.Extensions.Options;
using Playbooks.Calling.Activity;
using Playbooks.Calling.CallEvents;

namespace Playbooks.DevServer.Activity;

/// <summary>
/// The dev server's stand-in for the timer-triggered ActivityWriterFunction: the same drain, run back to back,
/// pausing briefly while the queue is empty.
/// </summary>
internal sealed class ActivityWriterLoop(ActivityWriter writer, IOptions<CallEventsOptions> options, ILogger<ActivityWriterLoop> logger)
    : BackgroundService
{
    private static readonly TimeSpan ErrorPause = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var result = await writer.DrainAsync(o.DrainBudget, stoppingToken);
                if (result.Received == 0)
                {
                    await Task.Delay(o.IdlePollInterval, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "The activity writer could not drain the call-event queue; retrying");
                await Task.Delay(ErrorPause, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }
}
