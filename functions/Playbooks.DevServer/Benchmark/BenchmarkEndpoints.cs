using System.Collections.Concurrent;
using Azure.Core;
using Azure.Core.Pipeline;
using Playbooks.Calling.Storage;

namespace Playbooks.DevServer.Benchmark;

/// <summary>
/// Development-only routes for the HTTP load benchmark (benchmarks/Playbooks.Benchmarks, mode <c>load</c>):
/// <c>GET /dev/ping</c> does no I/O, so its rate is the host's ceiling; <c>GET /dev/storage-calls</c> reports the
/// storage round trips when <c>DevServer:CountStorageCalls</c> is on: those made while serving requests, and all of them
/// (background loops too: the call-event writer's polls, the directory cache's refreshes).
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
                ? Results.Ok(new { enabled = true, count = counter.Count, all = counter.All, byKind = counter.ByKind() })
                : Results.Ok(new { enabled = false, count = 0L, all = 0L, byKind = new Dictionary<string, long>() }));
    }
}

/// <summary>Counts storage round trips (each attempt): those made while an HTTP request is being served, and all of them.</summary>
internal sealed class RequestStorageCallCounter(IHttpContextAccessor http) : HttpPipelinePolicy
{
    private readonly ConcurrentDictionary<string, long> _byKind = new(StringComparer.Ordinal);
    private long _count;
    private long _all;

    public long Count => Interlocked.Read(ref _count);

    public long All => Interlocked.Read(ref _all);

    /// <summary>All round trips by method and table or queue, e.g. "POST Calls" or "GET People (background)".</summary>
    public IReadOnlyDictionary<string, long> ByKind() => new SortedDictionary<string, long>(_byKind, StringComparer.Ordinal);

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Record(message);
        ProcessNext(message, pipeline);
    }

    public override ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Record(message);
        return ProcessNextAsync(message, pipeline);
    }

    private void Record(HttpMessage message)
    {
        Interlocked.Increment(ref _all);
        var serving = http.HttpContext is not null;
        if (serving)
        {
            Interlocked.Increment(ref _count);
        }

        _byKind.AddOrUpdate($"{message.Request.Method.Method} {Resource(message.Request.Uri.Path)}{(serving ? "" : " (background)")}", 1, (_, n) => n + 1);
    }

    /// <summary>The table or queue a storage path names: "/devstoreaccount1/Calls(PartitionKey=..)" gives "Calls".</summary>
    private static string Resource(string path)
    {
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        // Azurite puts the account first in the path; Azure names it in the host.
        var name = segments.Length switch
        {
            0 => "",
            1 => segments[0],
            _ => segments[0].StartsWith("devstoreaccount", StringComparison.Ordinal) ? segments[1] : segments[0],
        };
        var paren = name.IndexOf('(', StringComparison.Ordinal);
        return paren >= 0 ? name[..paren] : name;
    }
}
