using Microsoft.Azure.Functions.Worker;
using Playbooks.Calling.Crm;

namespace Playbooks.Functions.Crm;

/// <summary>Writes each org's finished, pending activities to its CRM; orgs waiting out a Retry-After are left alone.</summary>
public sealed class CrmSyncTimerFunction(CrmSyncRunner runner)
{
    [Function(nameof(CrmSyncTimerFunction))]
    public Task Run([TimerTrigger("%CrmSyncSchedule%")] TimerInfo timer, CancellationToken cancellationToken) =>
        runner.RunAsync(cancellationToken);
}
