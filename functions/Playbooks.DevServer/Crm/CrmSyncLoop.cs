using Playbooks.Calling.Crm;

namespace Playbooks.DevServer.Crm;

/// <summary>The dev server's stand-in for the timer-triggered CrmSyncTimerFunction: the same run, every few seconds.</summary>
internal sealed class CrmSyncLoop(CrmSyncRunner runner, IConfiguration configuration, ILogger<CrmSyncLoop> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = configuration.GetValue("DevServer:CrmSyncInterval", TimeSpan.FromSeconds(2));
        using var timer = new PeriodicTimer(interval);
        while (await timer.WaitForNextTickAsync(stoppingToken).ContinueWith(t => !t.IsCanceled && t.Result, TaskScheduler.Default))
        {
            try
            {
                await runner.RunAsync(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogError(ex, "The CRM sync run failed; trying again in {Interval}", interval);
            }
        }
    }
}
