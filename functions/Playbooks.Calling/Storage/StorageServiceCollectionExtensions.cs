using Azure.Data.Tables;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Playbooks.Calling.Storage;

public static class StorageServiceCollectionExtensions
{
    public static IServiceCollection AddPlaybooksStorage(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<StorageOptions>()
            .Bind(configuration.GetSection(StorageOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddAzureClients(azure => azure
            .AddClient<TableServiceClient, TableClientOptions>((clientOptions, credential, sp) =>
            {
                var options = sp.GetRequiredService<IOptions<StorageOptions>>().Value;
                return string.IsNullOrWhiteSpace(options.ConnectionString)
                    ? new TableServiceClient(options.TableServiceUri, credential, clientOptions)
                    : new TableServiceClient(options.ConnectionString, clientOptions);
            })
            .WithCredential(AzureIdentity.AppCredential)
            .ConfigureOptions((clientOptions, sp) => clientOptions.WithRegisteredPolicies(sp)));
        // The SDK's own log lines (one per request) stay out of the app's logs unless they warn.
        services.AddLogging(logging => logging.AddFilter("Azure", LogLevel.Warning));
        services.AddOptions<DirectoryCacheOptions>()
            .Bind(configuration.GetSection(DirectoryCacheOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddMemoryCache();
        services.AddSingleton<DirectoryCache>();
        services.AddHostedService<TablesInitializer>();
        return services;
    }
}

/// <summary>
/// Creates the app's tables once at start-up, so no request path pays for it. An unreachable account
/// does not stop the app: /api/health reports it, and the next start creates what is missing.
/// </summary>
internal sealed class TablesInitializer(TableServiceClient tables, ILogger<TablesInitializer> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            foreach (var name in TableNames.All)
            {
                await tables.CreateTableIfNotExistsAsync(name, cancellationToken);
            }
        }
        catch (Exception ex) when (AzureIdentity.IsStorageUnreachable(ex))
        {
            logger.LogError(ex, "Could not create the app's tables; is storage reachable?");
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
