using Azure.Messaging.ServiceBus;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Playbooks.Calling.Health;

/// <summary>Whether the call-event queue answers: a peek, which neither locks nor consumes a message.</summary>
public class ServiceBusHealthCheck(ServiceBusReceiver receiver) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await receiver.PeekMessageAsync(cancellationToken: cancellationToken);
            return HealthCheckResult.Healthy("ok");
        }
        catch (Exception ex) when (ex is ServiceBusException or UnauthorizedAccessException or OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy("unreachable", ex);
        }
    }
}
