using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Playbooks.Calling.Bootstrap;

public static class BootstrapServiceCollectionExtensions
{
    /// <summary>
    /// The start-up creation of the first org and admin (section "Bootstrap"). Register after AddPlaybooksStorage
    /// (its tables initializer runs first) and AddPlaybooksDirectory.
    /// </summary>
    public static IServiceCollection AddPlaybooksBootstrap(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<BootstrapOptions>()
            .Bind(configuration.GetSection(BootstrapOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<BootstrapService>();
        services.AddSingleton<BootstrapRunner>();
        services.AddHostedService(sp => sp.GetRequiredService<BootstrapRunner>());
        return services;
    }
}
