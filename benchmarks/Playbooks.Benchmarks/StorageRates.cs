using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Azure.Storage.Queues;

namespace Playbooks.Benchmarks;

/// <summary>A storage call's rate in a tight loop, with its latency percentiles.</summary>
internal sealed record StorageRate(double PerSecond, double P50, double P99);

/// <summary>Azurite's own limits, measured in the same run as the figures read against them.</summary>
internal static class StorageRates
{
    public const int WarmUpSeconds = 2;

    /// <summary>
    /// Single-entity upserts (UpsertEntity) of a small activity-like row over 1,000 partitions, on
    /// <paramref name="concurrency"/> workers for <paramref name="seconds"/> after a warm-up.
    /// </summary>
    public static async Task<StorageRate> UpsertAsync(string connectionString, int concurrency, int seconds)
    {
        var table = new TableServiceClient(connectionString).GetTableClient("BenchRawUpserts");
        await table.CreateIfNotExistsAsync();
        long next = 0;
        return await LoopAsync(concurrency, seconds, async () =>
        {
            var n = Interlocked.Increment(ref next);
            await table.UpsertEntityAsync(new TableEntity("raw-" + (n % 1_000).ToString("D4", CultureInfo.InvariantCulture), n.ToString("D12", CultureInfo.InvariantCulture))
            {
                ["Status"] = "in-progress", ["UserId"] = "rep-0001", ["StartedAt"] = DateTimeOffset.UtcNow,
            });
        });
    }

    /// <summary>
    /// Raw enqueue: one call event per message with <see cref="QueueClient.SendMessageAsync(string)"/> (not the product's
    /// publisher, which packs concurrent events) onto a scratch queue, on <paramref name="concurrency"/> workers.
    /// </summary>
    public static async Task<StorageRate> EnqueueAsync(string connectionString, int concurrency, int seconds, string body)
    {
        var queue = new QueueServiceClient(connectionString, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 })
            .GetQueueClient("bench-raw-enqueue");
        await queue.CreateIfNotExistsAsync();
        var rate = await LoopAsync(concurrency, seconds, () => queue.SendMessageAsync(body));
        await queue.DeleteAsync();
        return rate;
    }

    /// <summary>The given storage call in a tight loop on <paramref name="concurrency"/> workers.</summary>
    public static async Task<StorageRate> LoopAsync(int concurrency, int seconds, Func<Task> call)
    {
        var warm = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            while (warm.Elapsed < TimeSpan.FromSeconds(WarmUpSeconds)) await call();
        }));

        var latencies = new ConcurrentBag<double>();
        var clock = Stopwatch.StartNew();
        var duration = TimeSpan.FromSeconds(seconds);
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            while (clock.Elapsed < duration)
            {
                var at = Stopwatch.GetTimestamp();
                await call();
                latencies.Add(Stopwatch.GetElapsedTime(at).TotalMilliseconds);
            }
        }));
        clock.Stop();
        var sorted = latencies.Order().ToArray();
        double At(double q) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];
        await Task.Delay(1_000);
        return new StorageRate(sorted.Length / clock.Elapsed.TotalSeconds, At(0.50), At(0.99));
    }
}

/// <summary>Counts storage round trips by kind ("GET Activities", "DELETE queue message", ...) on the clients it is added to.</summary>
internal sealed class StorageCallTally : HttpPipelinePolicy
{
    private readonly ConcurrentDictionary<string, int> _calls = new();

    public IReadOnlyDictionary<string, int> Snapshot() => new Dictionary<string, int>(_calls);

    public void Reset() => _calls.Clear();

    public int Total => _calls.Values.Sum();

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
        var path = Uri.UnescapeDataString(message.Request.Uri.Path);
        var kind = path.Contains("/messages/", StringComparison.Ordinal) ? "queue message"
            : path.EndsWith("/messages", StringComparison.Ordinal) ? "queue"
            : path.Contains("Activities", StringComparison.Ordinal) ? "Activities"
            : path.EndsWith("/$batch", StringComparison.Ordinal) ? "table transaction"
            : "other";
        _calls.AddOrUpdate($"{message.Request.Method.Method} {kind}", 1, (_, n) => n + 1);
    }
}
