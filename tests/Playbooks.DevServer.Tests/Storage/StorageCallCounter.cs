using System.Collections.Concurrent;
using Azure.Core;
using Azure.Core.Pipeline;
using Microsoft.AspNetCore.Http;

namespace Playbooks.DevServer.Tests.Storage;

/// <summary>
/// Records every storage round trip (each attempt) made while serving a request that carries <see cref="ProbeHeader"/>,
/// under that header's value; background work (queue polling, timers) has no such request and is not counted.
/// Each call also notes how many of the same request's calls had finished when it started: calls that start with the
/// same count went to storage together, and the number of distinct counts is the number of sequential waits.
/// </summary>
public sealed class StorageCallCounter(IHttpContextAccessor http) : HttpPipelinePolicy
{
    public const string ProbeHeader = "X-Storage-Probe";

    private readonly ConcurrentDictionary<string, ProbeCalls> _calls = new();

    public IReadOnlyList<StorageCall> CallsOf(string probe) => _calls.TryGetValue(probe, out var calls) ? [.. calls.Calls] : [];

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        var calls = Record(message);
        ProcessNext(message, pipeline);
        calls?.Finished();
    }

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        var calls = Record(message);
        try
        {
            await ProcessNextAsync(message, pipeline);
        }
        finally
        {
            calls?.Finished();
        }
    }

    private ProbeCalls? Record(HttpMessage message)
    {
        if (http.HttpContext?.Request.Headers[ProbeHeader].ToString() is not { Length: > 0 } probe)
        {
            return null;
        }

        var path = Uri.UnescapeDataString(message.Request.Uri.Path);
        var calls = _calls.GetOrAdd(probe, _ => new ProbeCalls());
        calls.Calls.Enqueue(new StorageCall(message.Request.Method.Method, path) { FinishedBefore = calls.FinishedCount });
        return calls;
    }

    private sealed class ProbeCalls
    {
        private int _finished;

        public ConcurrentQueue<StorageCall> Calls { get; } = new();

        public int FinishedCount => Volatile.Read(ref _finished);

        public void Finished() => Interlocked.Increment(ref _finished);
    }
}

/// <summary>One round trip: the HTTP method and the resource path, e.g. <c>GET /devstoreaccount1/Orgs(PartitionKey='a',RowKey='settings')</c>.</summary>
public sealed record StorageCall(string Method, string Path)
{
    /// <summary>How many of the same request's calls had finished when this one started.</summary>
    public int FinishedBefore { get; init; }

    public bool IsRead => Method == "GET";

    public override string ToString() => $"{Method} {Path}";
}
