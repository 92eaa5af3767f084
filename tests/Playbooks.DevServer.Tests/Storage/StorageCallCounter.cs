using System.Collections.Concurrent;
using Azure.Core;
using Azure.Core.Pipeline;
using Microsoft.AspNetCore.Http;

namespace Playbooks.DevServer.Tests.Storage;

/// <summary>
/// Records every storage round trip (each attempt) made while serving a request that carries <see cref="ProbeHeader"/>,
/// under that header's value; background work (queue polling, timers) has no such request and is not counted.
/// </summary>
public sealed class StorageCallCounter(IHttpContextAccessor http) : HttpPipelinePolicy
{
    public const string ProbeHeader = "X-Storage-Probe";

    private readonly ConcurrentDictionary<string, ConcurrentQueue<StorageCall>> _calls = new();

    public IReadOnlyList<StorageCall> CallsOf(string probe) => _calls.TryGetValue(probe, out var calls) ? [.. calls] : [];

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
        if (http.HttpContext?.Request.Headers[ProbeHeader].ToString() is { Length: > 0 } probe)
        {
            var path = Uri.UnescapeDataString(message.Request.Uri.Path);
            _calls.GetOrAdd(probe, _ => new ConcurrentQueue<StorageCall>()).Enqueue(new StorageCall(message.Request.Method.Method, path));
        }
    }
}

/// <summary>One round trip: the HTTP method and the resource path, e.g. <c>GET /devstoreaccount1/Orgs(PartitionKey='a',RowKey='settings')</c>.</summary>
public sealed record StorageCall(string Method, string Path)
{
    public bool IsRead => Method == "GET";

    public override string ToString() => $"{Method} {Path}";
}
