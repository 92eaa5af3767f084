using Playbooks.Calling.Crm;

namespace Playbooks.DevServer.Crm;

/// <summary>The dev server's stand-in for the timer-triggered CrmSyncTimerFunction: the same run, every few seconds.</summary>
internal sealed class CrmSyncLoop(CrmSyncRunner runner, IConfiguration configuration, ILogger<CrmSyncLoop> logger)
    : TimerLoop(configuration.GetValue("DevServer:CrmSyncInterval", TimeSpan.FromSeconds(2)), logger)
{
    protected override string Name => "The CRM sync run";

    protected override Task RunAsync(CancellationToken cancellationToken) => runner.RunAsync(cancellationToken);
}
