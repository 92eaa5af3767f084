using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Playbooks.Calling.Health;
using Azure.Data.Tables;

namespace Playbooks.Functions;

public static class FunctionsServiceCollectionExtensions
{
    public static IServiceCollection AddPlaybooksFunctions(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(new TableServiceClient("UseDevelopmentStorage=true"));
        services.AddSingleton<StorageHealthCheck>();
        return services;
    }
}
