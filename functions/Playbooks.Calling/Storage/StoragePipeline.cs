using Azure.Core;
using Azure.Core.Pipeline;
using Microsoft.Extensions.DependencyInjection;

namespace Playbooks.Calling.Storage;

/// <summary>A pipeline policy every storage client gets, e.g. one that counts round trips in a host-level test.</summary>
public sealed record StoragePipelinePolicy(HttpPipelinePolicy Policy);

public static class StoragePipeline
{
    /// <summary>Adds the registered <see cref="StoragePipelinePolicy"/> instances to a storage client's options, once per attempt.</summary>
    public static T WithRegisteredPolicies<T>(this T options, IServiceProvider services) where T : ClientOptions
    {
        foreach (var registered in services.GetServices<StoragePipelinePolicy>())
        {
            options.AddPolicy(registered.Policy, HttpPipelinePosition.PerRetry);
        }
        return options;
    }
}
