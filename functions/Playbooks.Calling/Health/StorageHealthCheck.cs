using Azure.Data.Tables;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Playbooks.Calling.Storage;

namespace Playbooks.Calling.Health;

/// <summary>Whether Table Storage answers: one query for at most one table.</summary>
public class StorageHealthCheck(TableServiceClient tables) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await foreach (var _ in tables.QueryAsync(maxPerPage: 1, cancellationToken: cancellationToken).AsPages(pageSizeHint: 1).WithCancellation(cancellationToken))
            {
                break;
            }

            return HealthCheckResult.Healthy("ok");
        }
        catch (Exception ex) when (ex is OperationCanceledException || AzureIdentity.IsStorageUnreachable(ex))
        {
            return HealthCheckResult.Unhealthy("unreachable", ex);
        }
    }
}
