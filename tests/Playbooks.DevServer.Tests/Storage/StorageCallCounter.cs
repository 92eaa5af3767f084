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

    /// <summary>
    /// Holds the probe's first N calls until N have started, so calls made together are seen together however slow
    /// the machine; calls made one after another wait out <see cref="GatherTimeout"/> (a deadlock guard) and are seen
    /// as sequential.
    /// </summary>
    public const string GatherHeader = "X-Storage-Gather";

    private static readonly TimeSpan GatherTimeout = TimeSpan.FromSeconds(5);

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
            if (calls?.Gathered is { } gathered)
            {
                await Task.WhenAny(gathered, Task.Delay(GatherTimeout));
            }

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
        var gather = int.TryParse(http.HttpContext.Request.Headers[GatherHeader].ToString(), out var n) ? n : 0;
        var calls = _calls.GetOrAdd(probe, _ => new ProbeCalls(gather));
        calls.Calls.Enqueue(new StorageCall(message.Request.Method.Method, path) { FinishedBefore = calls.FinishedCount });
        calls.Started();
        return calls;
    }

    private sealed class ProbeCalls(int gather)
    {
        private readonly TaskCompletionSource _gathered = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _started;
        private int _finished;

        /// <summary>While the first calls are being gathered, the task they wait for; null once they are released.</summary>
        public Task? Gathered => gather > 0 && !_gathered.Task.IsCompleted ? _gathered.Task : null;

        public void Started()
        {
            if (Interlocked.Increment(ref _started) >= gather)
            {
                _gathered.TrySetResult();
            }
        }

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
