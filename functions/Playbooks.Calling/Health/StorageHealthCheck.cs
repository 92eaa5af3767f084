using System.Text.Json.Serialization;
using Azure.Data.Tables;
using Playbooks.Calling.Storage;

namespace Playbooks.Calling.Health;

public sealed record HealthReport(string Status, IReadOnlyDictionary<string, string> Checks)
{
    [JsonIgnore]
    public bool Healthy => Status == "healthy";
}

/// <summary>Reports whether Table Storage answers, with a short timeout so a probe never hangs.</summary>
public class StorageHealthCheck(TableServiceClient tables)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    public virtual async Task<HealthReport> CheckAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        try
        {
            await foreach (var _ in tables.QueryAsync(maxPerPage: 1, cancellationToken: timeout.Token).AsPages(pageSizeHint: 1).WithCancellation(timeout.Token))
            {
                break;
            }
            return new HealthReport("healthy", new Dictionary<string, string> { ["storage"] = "ok" });
        }
        catch (Exception ex) when (ex is OperationCanceledException || AzureIdentity.IsStorageUnreachable(ex))
        {
            return new HealthReport("unhealthy", new Dictionary<string, string> { ["storage"] = "unreachable" });
        }
    }
}
