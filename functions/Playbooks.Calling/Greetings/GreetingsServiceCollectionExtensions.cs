using Azure.Storage.Blobs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Playbooks.Calling.Storage;

namespace Playbooks.Calling.Greetings;

public static class GreetingsServiceCollectionExtensions
{
    /// <summary>Voicemail greetings (Blob Storage) and the voicemail drop. Needs AddPlaybooksStorage, AddPlaybooksTwilio and AddPlaybooksCalls.</summary>
    public static IServiceCollection AddPlaybooksGreetings(this IServiceCollection services)
    {
        services.AddSingleton(sp =>
        {
            var storage = sp.GetRequiredService<IOptions<StorageOptions>>().Value;
            var clientOptions = new BlobClientOptions().WithRegisteredPolicies(sp);
            var blobs = !string.IsNullOrWhiteSpace(storage.ConnectionString)
                ? new BlobServiceClient(storage.ConnectionString, clientOptions)
                : new BlobServiceClient(
                    storage.BlobServiceUri ?? throw new InvalidOperationException("Set Storage:BlobServiceUri (or Storage:ConnectionString) for the voicemail greetings."),
                    AzureIdentity.Credential(storage.ClientId),
                    clientOptions);
            return new GreetingStore(blobs.GetBlobContainerClient(GreetingStore.ContainerName));
        });
        services.AddSingleton<GreetingLinks>();
        services.AddSingleton<GreetingService>();
        services.AddSingleton<VoicemailDropService>();
        services.AddHostedService<GreetingContainerInitializer>();
        return services;
    }
}

/// <summary>
/// Creates the private greetings container at start-up on a connection-string account (Azurite). In Azure, Bicep declares
/// it and the app's identity holds a role on that container only, so it could not create one.
/// </summary>
internal sealed class GreetingContainerInitializer(GreetingStore store, IOptions<StorageOptions> storage, ILogger<GreetingContainerInitializer> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(storage.Value.ConnectionString))
        {
            return;
        }

        try
        {
            await store.CreateContainerIfNotExistsAsync(cancellationToken);
        }
        catch (Exception ex) when (AzureIdentity.IsStorageUnreachable(ex))
        {
            logger.LogError(ex, "Could not create the greetings container; is blob storage reachable?");
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
