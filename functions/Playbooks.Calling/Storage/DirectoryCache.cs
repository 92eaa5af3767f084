using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace Playbooks.Calling.Storage;

/// <summary>
/// Short-lived copies of the directory rows the hot paths read on every request (org settings, permission groups,
/// people, caller-ID owners). Another instance's write shows within <see cref="DirectoryCacheOptions.TimeToLive"/>;
/// a write through this instance's stores drops the entry at once. Rows that are not found are never kept.
/// Only code inside <see cref="ServeRecentReads"/> is served kept rows; elsewhere (edits that write back with the
/// row's ETag) every read goes to storage and refreshes the entry.
/// <para>
/// Refresh-ahead: an entry served in the second half of its life starts one background read of its row, so a row
/// in steady use is replaced before it expires and no request waits for storage. The age of a served row is counted
/// from the moment its read started, so it is never older than the time to live.
/// </para>
/// </summary>
public sealed class DirectoryCache(IMemoryCache cache, IOptions<DirectoryCacheOptions> options, TimeProvider? time = null)
{
    private static readonly AsyncLocal<bool> RecentReadsServed = new();

    private readonly TimeSpan _timeToLive = options.Value.TimeToLive;
    private readonly TimeProvider _time = time ?? TimeProvider.System;

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
        if (RecentReadsServed.Value && cache.TryGetValue(key, out Entry? kept) && kept is { Value: T value })
        {
            var age = _time.GetUtcNow() - kept.ReadStartedAt;
            if (age < _timeToLive)
            {
                if (age >= _timeToLive / 2 && kept.ClaimRefresh())
                {
                    RefreshInBackground(key, read);
                }
                return value;
            }
        }
        return await ReadAndKeepAsync(key, read, Interlocked.Read(ref _generation), cancellationToken);
    }

    public void Invalidate(string table, string partitionKey, string rowKey)
    {
        Interlocked.Increment(ref _generation);
        cache.Remove(new EntryKey(table, partitionKey, rowKey));
    }

    /// <summary>Reads the row and keeps it, unless an invalidation came after <paramref name="generation"/> was taken.</summary>
    private async Task<T?> ReadAndKeepAsync<T>(EntryKey key, Func<CancellationToken, Task<T?>> read, long generation, CancellationToken cancellationToken)
        where T : class
    {
        var startedAt = _time.GetUtcNow();
        var value = await read(cancellationToken);
        if (_timeToLive > TimeSpan.Zero && Interlocked.Read(ref _generation) == generation)
        {
            if (value is null)
            {
                cache.Remove(key);
            }
            else
            {
                cache.Set(key, new Entry(value, startedAt), _timeToLive);
            }
        }
        return value;
    }

    /// <summary>
    /// Reads the row again off the request's flow (no request waits for it, and no request-scoped state follows it).
    /// A failed refresh leaves the entry to expire; the next read after that goes to storage and reports the failure.
    /// </summary>
    private void RefreshInBackground<T>(EntryKey key, Func<CancellationToken, Task<T?>> read) where T : class
    {
        var generation = Interlocked.Read(ref _generation);
        using (ExecutionContext.SuppressFlow())
        {
            _ = Task.Run(async () =>
            {
                try
                {
                    await ReadAndKeepAsync(key, read, generation, CancellationToken.None);
                }
                catch (Exception)
                {
                    // The kept row stays until it expires; storage errors surface on the request that reads after that.
                }
            });
        }
    }

    private sealed record EntryKey(string Table, string PartitionKey, string RowKey);

    private sealed class Entry(object value, DateTimeOffset readStartedAt)
    {
        private int _refreshClaimed;

        public object Value { get; } = value;

        public DateTimeOffset ReadStartedAt { get; } = readStartedAt;

        /// <summary>True for the first caller only: one background refresh per entry.</summary>
        public bool ClaimRefresh() => Interlocked.Exchange(ref _refreshClaimed, 1) == 0;
    }
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
