using Azure.Core;
using Azure.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Playbooks.Calling.Storage;

/// <summary>How the app signs in to Azure services: its user-assigned managed identity, or the default chain when none is named.</summary>
public static class AzureIdentity
{
    public static TokenCredential Credential(string? clientId) =>
        string.IsNullOrWhiteSpace(clientId)
            ? new DefaultAzureCredential()
            : new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId));

    /// <summary>The app's identity (<c>Storage:ClientId</c>), for the clients of its storage account and vaults.</summary>
    public static TokenCredential AppCredential(IServiceProvider services) =>
        Credential(services.GetRequiredService<IOptions<StorageOptions>>().Value.ClientId);

    /// <summary>The errors an unreachable or failing storage account surfaces as (after the SDK's own retries).</summary>
    public static bool IsStorageUnreachable(Exception ex) =>
        ex is Azure.RequestFailedException or AggregateException or HttpRequestException;
}
