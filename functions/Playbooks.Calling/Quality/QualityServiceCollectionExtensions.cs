using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Playbooks.Calling.Network;

namespace Playbooks.Calling.Quality;

public static class QualityServiceCollectionExtensions
{
    /// <summary>Call-quality reports and the network requirements; needs AddPlaybooksDirectory.</summary>
    public static IServiceCollection AddPlaybooksCallQuality(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<QualityReportStore>();
        services.AddSingleton<QualityReportService>();
        services.TryAddSingleton(_ => new QualityReportRateLimiter());
        services.AddSingleton<NetworkRequirementsService>();
        return services;
    }
}
