using Azure.Core;
using Azure.Core.Pipeline;
using Playbooks.Calling.Storage;

namespace Playbooks.DevServer.Benchmark;

/// <summary>
/// Development-only routes for the HTTP load benchmark (benchmarks/Playbooks.Benchmarks, mode <c>load</c>):
/// <c>GET /dev/ping</c> does no I/O, so its rate is the host's ceiling; <c>GET /dev/storage-calls</c> reports the
/// storage round trips made while serving requests when <c>DevServer:CountStorageCalls</c> is on.
/// </summary>
internal static class BenchmarkEndpoints
{
    public static IServiceCollection AddStorageCallCounting(this IServiceCollection services)
    {
        services.AddHttpContextAccessor();
        services.AddSingleton<RequestStorageCallCounter>();
        services.AddSingleton(sp => new StoragePipelinePolicy(sp.GetRequiredService<RequestStorageCallCounter>()));
        return services;
    }

    public static void MapBenchmarkEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/dev/ping", () => Results.Text("pong"));
        endpoints.MapGet("/dev/storage-calls", (IServiceProvider services) =>
            services.GetService<RequestStorageCallCounter>() is { } counter
                ? Results.Ok(new { enabled = true, count = counter.Count })
                : Results.Ok(new { enabled = false, count = 0L }));
    }
}

/// <summary>Counts storage round trips (each attempt) made while an HTTP request is being served; background loops are not counted.</summary>
internal sealed class RequestStorageCallCounter(IHttpContextAccessor http) : HttpPipelinePolicy
{
    private long _count;

    public long Count => Interlocked.Read(ref _count);

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Record();
        ProcessNext(message, pipeline);
    }

    public override ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Record();
        return ProcessNextAsync(message, pipeline);
    }

    private void Record()
    {
        if (http.HttpContext is not null)
        {
            Interlocked.Increment(ref _count);
        }
    }
}
