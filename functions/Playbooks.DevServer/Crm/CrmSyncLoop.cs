using Playbooks.Calling.Crm;

namespace Playbooks.DevServer.Crm;

/// <summary>The dev server's stand-in for the timer-triggered CrmSyncTimerFunction: the same run, every few seconds.</summary>
internal sealed class CrmSyncLoop(CrmSyncRunner runner, IConfiguration configuration, ILogger<CrmSyncLoop> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = configuration.GetValue("DevServer:CrmSyncInterval", TimeSpan.FromSeconds(2));
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(interval, stoppingToken);
                await runner.RunAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "The CRM sync run failed; trying again in {Interval}", interval);
            }
        }
    }
}
