using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Playbooks.Calling.Quality;

namespace Playbooks.Functions.Me;

public static class ApiServiceCollectionExtensions
{
    /// <summary>What the calling API needs beyond the directory: the telephony mode, network requirements, quality reports.</summary>
    public static IServiceCollection AddPlaybooksCallingApi(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<TelephonyOptions>()
            .Bind(configuration.GetSection(TelephonyOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddPlaybooksCallQuality();
        return services;
    }
}
