using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Playbooks.DevServer.Azurite;

/// <summary>Unhealthy from the moment the dev server's Azurite exits until its restart listens again.</summary>
internal sealed class AzuriteHealthCheck(AzuriteProcess azurite) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(azurite.IsRunning ? HealthCheckResult.Healthy("ok") : HealthCheckResult.Unhealthy("unreachable"));
}
