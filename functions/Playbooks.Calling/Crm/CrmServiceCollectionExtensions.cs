using Azure.Security.KeyVault.Secrets;
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
    /// from AddPlaybooksStorage and the AuditService from AddPlaybooksDirectory. Client secrets come from Key Vault
    /// when <c>KeyVault:Uri</c> is set (read with the app's identity, <c>Storage:ClientId</c>), and from
    /// <c>Crm:Secrets:&lt;name&gt;</c> in configuration before that.
    /// </summary>
    public static IServiceCollection AddPlaybooksCrm(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<CrmOptions>()
            .Bind(configuration.GetSection(CrmOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddHttpClient(HttpClientName, (sp, http) =>
            http.Timeout = sp.GetRequiredService<IOptions<CrmOptions>>().Value.RequestTimeout);
        if (Uri.TryCreate(configuration["KeyVault:Uri"], UriKind.Absolute, out var vaultUri))
        {
            services.AddSingleton(sp => new SecretClient(
                vaultUri, AzureIdentity.Credential(sp.GetRequiredService<IOptions<StorageOptions>>().Value.ClientId)));
        }
        services.AddSingleton(sp => new CrmSecrets(
            configuration, sp.GetRequiredService<IOptions<CrmOptions>>(), sp.GetRequiredService<TimeProvider>(), sp.GetService<SecretClient>()));
        services.AddSingleton<CrmTokenCache>();
        services.AddSingleton<CrmOrgHolds>();
        services.AddSingleton<ICrmConnector, SalesforceConnector>();
        services.AddSingleton<ICrmConnector, DynamicsConnector>();
        services.AddSingleton<CrmConnectionStore>();
        services.AddSingleton<CrmSyncService>();
        services.AddSingleton<CrmSyncRunner>();
        services.AddSingleton<CrmAdminService>();
        services.TryAddSingleton<IActivityRepository, NoActivityStore>();
        return services;
    }
}
