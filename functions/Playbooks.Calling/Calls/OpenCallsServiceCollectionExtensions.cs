using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Playbooks.Calling.Activity;

namespace Playbooks.Calling.Calls;

public static class OpenCallsServiceCollectionExtensions
{
    /// <summary>
    /// The open-call index (kept by the activity writer as its <see cref="IActivityObserver"/>) and the sweep that ends
    /// calls nobody ended. Call after AddPlaybooksCallEvents and AddPlaybooksCalls.
    /// </summary>
    public static IServiceCollection AddPlaybooksOpenCallSweep(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<OpenCallsOptions>()
            .Bind(configuration.GetSection(OpenCallsOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<OpenCallIndex>();
        services.RemoveAll<IActivityObserver>();
        services.AddSingleton<IActivityObserver, OpenCallTracker>();
        services.AddSingleton<OpenCallSweeper>();
        return services;
    }
}
