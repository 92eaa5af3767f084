using Playbooks.Calling.Calls;

namespace Playbooks.DevServer.Calls;

/// <summary>The dev server's stand-in for the timer-triggered OpenCallSweepFunction: the same run, every few seconds.</summary>
internal sealed class OpenCallSweepLoop(OpenCallSweeper sweeper, IConfiguration configuration, ILogger<OpenCallSweepLoop> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = configuration.GetValue("DevServer:OpenCallSweepInterval", TimeSpan.FromSeconds(15));
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(interval, stoppingToken);
                await sweeper.RunAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "The open-call sweep failed; trying again in {Interval}", interval);
            }
        }
    }
}
