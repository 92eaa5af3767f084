using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace Playbooks.Calling.Storage;

/// <summary>
/// Short-lived copies of the directory rows the hot paths read on every request (org settings, permission groups,
/// people, caller-ID owners). Another instance's write shows within <see cref="DirectoryCacheOptions.TimeToLive"/>;
/// a write through this instance's stores drops the entry at once. Rows that are not found are never kept.
/// Only code inside <see cref="ServeRecentReads"/> is served kept rows; elsewhere (edits that write back with the
/// row's ETag) every read goes to storage and refreshes the entry.
/// </summary>
public sealed class DirectoryCache(IMemoryCache cache, IOptions<DirectoryCacheOptions> options)
{
    private static readonly AsyncLocal<bool> RecentReadsServed = new();

    private readonly TimeSpan _timeToLive = options.Value.TimeToLive;

    /// <summary>Until disposed, reads in this async flow may be served rows up to the time to live old: for decisions, not for read-modify-write.</summary>
    public static RecentReadsScope ServeRecentReads()
    {
        var previous = RecentReadsServed.Value;
        RecentReadsServed.Value = true;
        return new RecentReadsScope(previous);
    }

    public readonly struct RecentReadsScope(bool previous) : IDisposable
    {
        public void Dispose() => RecentReadsServed.Value = previous;
    }

    // Bumped by every invalidation: a read that began before a write may not store what it read.
    private long _generation;

    public async Task<T?> GetOrReadAsync<T>(string table, string partitionKey, string rowKey, Func<CancellationToken, Task<T?>> read, CancellationToken cancellationToken)
        where T : class
    {
        var key = new EntryKey(table, partitionKey, rowKey);
        if (RecentReadsServed.Value && cache.TryGetValue(key, out T? kept))
        {
            return kept;
        }
        var generation = Interlocked.Read(ref _generation);
        var value = await read(cancellationToken);
        if (value is not null && _timeToLive > TimeSpan.Zero && Interlocked.Read(ref _generation) == generation)
        {
            cache.Set(key, value, _timeToLive);
        }
        return value;
    }

    public void Invalidate(string table, string partitionKey, string rowKey)
    {
        Interlocked.Increment(ref _generation);
        cache.Remove(new EntryKey(table, partitionKey, rowKey));
    }

    private sealed record EntryKey(string Table, string PartitionKey, string RowKey);
}

public static class DirectoryCacheExtensions
{
    /// <summary>Reads through the cache, or straight from storage for a store built without one.</summary>
    public static Task<T?> ReadThroughAsync<T>(this DirectoryCache? cache, string table, string partitionKey, string rowKey,
        Func<CancellationToken, Task<T?>> read, CancellationToken cancellationToken) where T : class =>
        cache is null ? read(cancellationToken) : cache.GetOrReadAsync(table, partitionKey, rowKey, read, cancellationToken);

    /// <summary>Drops the row's entry when disposed, i.e. after the write in its scope finished, whether or not it succeeded.</summary>
    public static Invalidation InvalidateAfterWrite(this DirectoryCache? cache, string table, string partitionKey, string rowKey) =>
        new(cache, table, partitionKey, rowKey);

    public readonly struct Invalidation(DirectoryCache? cache, string table, string partitionKey, string rowKey) : IDisposable
    {
        public void Dispose() => cache?.Invalidate(table, partitionKey, rowKey);
    }
}
