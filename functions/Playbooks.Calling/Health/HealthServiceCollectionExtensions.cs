using Azure.Security.KeyVault.Secrets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Playbooks.Calling.CallEvents;

namespace Playbooks.Calling.Health;

public static class HealthServiceCollectionExtensions
{
    /// <summary>The longest one check may take before it counts as unreachable, so a probe never hangs.</summary>
    public static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(5);

    /// <summary>The checks behind /api/health: storage always, Service Bus and the CRM vault (the client AddPlaybooksCrm registers) when configured.</summary>
    public static IServiceCollection AddPlaybooksHealth(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<HealthOptions>().BindConfiguration(HealthOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<HealthProbe>();

        var health = services.AddHealthChecks().AddCheck<StorageHealthCheck>("storage", failureStatus: null, tags: [], timeout: CheckTimeout);
        if (CallEventsServiceCollectionExtensions.ResolveTransport(configuration) == CallEventTransport.ServiceBus)
        {
            health.AddCheck<ServiceBusHealthCheck>("serviceBus", failureStatus: null, tags: [], timeout: CheckTimeout);
        }

        if (Uri.TryCreate(configuration["Crm:KeyVaultUri"], UriKind.Absolute, out _))
        {
            health.Add(new Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckRegistration(
                "keyVault",
                sp => new KeyVaultHealthCheck(sp.GetRequiredService<SecretClient>()),
                failureStatus: null,
                tags: null,
                timeout: CheckTimeout));
        }

        return services;
    }
}
