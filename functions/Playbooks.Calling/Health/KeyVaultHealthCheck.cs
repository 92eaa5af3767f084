using Azure;
using Azure.Security.KeyVault.Secrets;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Playbooks.Calling.Health;

/// <summary>Whether the CRM secrets vault answers: the first page of secret names (never a secret's value).</summary>
public class KeyVaultHealthCheck(SecretClient vault) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await foreach (var _ in vault.GetPropertiesOfSecretsAsync(cancellationToken).AsPages(pageSizeHint: 1).WithCancellation(cancellationToken))
            {
                break;
            }

            return HealthCheckResult.Healthy("ok");
        }
        catch (Exception ex) when (ex is RequestFailedException or HttpRequestException or AggregateException or OperationCanceledException
            or Azure.Identity.AuthenticationFailedException)
        {
            return HealthCheckResult.Unhealthy("unreachable", ex);
        }
    }
}
