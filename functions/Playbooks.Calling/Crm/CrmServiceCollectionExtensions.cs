using Azure.Security.KeyVault.Secrets;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Playbooks.Calling.Crm.Dynamics;
using Playbooks.Calling.Crm.Salesforce;
using Playbooks.Calling.Storage;

namespace Playbooks.Calling.Crm;

public static class CrmServiceCollectionExtensions
{
    public const string HttpClientName = "crm";

    /// <summary>
    /// The CRM connectors, the sync service and runner, and the admin service. Needs the <c>TableServiceClient</c>
    /// from AddPlaybooksStorage and the AuditService from AddPlaybooksDirectory. Client secrets come from the CRM Key
    /// Vault when <c>Crm:KeyVaultUri</c> is set (read with the app's identity, <c>Storage:ClientId</c>), and from
    /// <c>Crm:Secrets:&lt;name&gt;</c> in configuration before that; never from the app's vault (<c>KeyVault:Uri</c>).
    /// </summary>
    public static IServiceCollection AddPlaybooksCrm(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<CrmOptions>()
            .Bind(configuration.GetSection(CrmOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        // The resilience pipeline bounds each attempt and the whole request; the client's own timeout stays out of its way.
        services.AddHttpClient(HttpClientName, http => http.Timeout = Timeout.InfiniteTimeSpan)
            .AddResilienceHandler(CrmResilience.PipelineName, (builder, context) =>
                CrmResilience.Configure(builder, context.ServiceProvider.GetRequiredService<IOptions<CrmOptions>>().Value));
        // Dynamics token requests: the credential bounds each attempt itself (Crm:RequestTimeout) and never retries them.
        services.AddHttpClient(DynamicsCredentials.HttpClientName, http => http.Timeout = Timeout.InfiniteTimeSpan);
        if (CrmVaultUri(configuration) is { } crmVault)
        {
            services.AddAzureClients(azure => azure.AddSecretClient(crmVault).WithCredential(AzureIdentity.AppCredential));
        }
        services.AddSingleton(sp => new CrmSecrets(
            configuration,
            sp.GetRequiredService<IOptions<CrmOptions>>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<SecretClient>()));
        services.AddSingleton<CrmTokenCache>();
        services.AddSingleton<DynamicsCredentials>();
        services.AddSingleton<CrmOrgHolds>();
        services.AddSingleton<CrmSyncLeases>();
        services.AddSingleton<ICrmConnector, SalesforceConnector>();
        services.AddSingleton<ICrmConnector, DynamicsConnector>();
        services.AddSingleton<CrmConnectionStore>();
        services.AddSingleton<CrmSyncService>();
        services.AddSingleton<CrmSyncWarnings>();
        services.AddSingleton<CrmSyncRunner>();
        services.AddSingleton<CrmAdminService>();
        services.AddSingleton<CrmSecretService>();
        services.AddSingleton<CrmOwners>();
        services.TryAddSingleton<IActivityRepository, NoActivityStore>();
        return services;
    }

    /// <summary><c>Crm:KeyVaultUri</c>; refuses at start to be the app's own vault, which holds the Twilio secrets.</summary>
    private static Uri? CrmVaultUri(IConfiguration configuration)
    {
        if (!Uri.TryCreate(configuration[$"{CrmOptions.Section}:{nameof(CrmOptions.KeyVaultUri)}"], UriKind.Absolute, out var crmVault))
        {
            return null;
        }
        if (Uri.TryCreate(configuration["KeyVault:Uri"], UriKind.Absolute, out var appVault)
            && string.Equals(crmVault.Host, appVault.Host, StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException("Crm:KeyVaultUri must name a vault of its own, not KeyVault:Uri: CRM settings may never reach the app's secrets.");
        }
        return crmVault;
    }
}
