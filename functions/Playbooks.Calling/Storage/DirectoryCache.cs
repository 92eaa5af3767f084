using System.Collections.Concurrent;
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
/// <para>
/// A store whose partitions hold many rows (the people of an org) may also give a partition reader. Refreshes of that
/// partition then wait <see cref="PartitionRefreshWindow"/> for each other, and when at least
/// <see cref="PartitionRefreshMinRows"/> are due, one query of the partition replaces every row this instance keeps of it
/// instead of a read per row: an org with a thousand reps calling costs one query per half-life, not 400 reads a
/// second. A row the query does not return (deleted) is dropped; rows past <see cref="PartitionRefreshMaxRows"/> are read
/// one by one, and so are the due rows of a partition much bigger than what a query would refresh
/// (<see cref="PartitionRowsPerDueRow"/>).
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

    /// <summary>How long refreshes of one partition wait for each other before they are read.</summary>
    public static readonly TimeSpan PartitionRefreshWindow = TimeSpan.FromMilliseconds(20);

    /// <summary>Refreshes of one partition due together that are read as one query of the partition.</summary>
    public const int PartitionRefreshMinRows = 8;

    /// <summary>The most rows one partition refresh reads (five pages); due rows beyond them are read one by one.</summary>
    public const int PartitionRefreshMaxRows = 5_000;

    /// <summary>
    /// A partition is queried only when it holds at most this many rows per row the query would refresh: the due rows,
    /// or the rows its last query found kept, whichever is more (its size as that query found it). A big org with a few
    /// reps calling is cheaper read row by row than by reading all its people.
    /// </summary>
    public const int PartitionRowsPerDueRow = 50;

    /// <summary>Per partition, what its last query found: its rows, and how many of them this instance kept.</summary>
    private readonly ConcurrentDictionary<(string Table, string PartitionKey), (int Rows, int Kept)> _partitionQueries = new();

    private readonly ConcurrentDictionary<(string Table, string PartitionKey), PartitionRefresh> _partitionRefreshes = new();

    /// <summary>
    /// The kept row, or <paramref name="read"/>'s. <paramref name="readPartition"/>, when given, reads every row of the
    /// partition (row key and value), for refreshing many rows of it at once.
    /// </summary>
    public async Task<T?> GetOrReadAsync<T>(string table, string partitionKey, string rowKey, Func<CancellationToken, Task<T?>> read,
        CancellationToken cancellationToken, Func<CancellationToken, IAsyncEnumerable<(string RowKey, T Value)>>? readPartition = null)
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
                    if (readPartition is null)
                    {
                        RefreshInBackground(key, read);
                    }
                    else
                    {
                        QueuePartitionRefresh(key, read, readPartition);
                    }
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

    /// <summary>Adds the row to its partition's pending refresh, and starts that refresh if it is the first.</summary>
    private void QueuePartitionRefresh<T>(EntryKey key, Func<CancellationToken, Task<T?>> read,
        Func<CancellationToken, IAsyncEnumerable<(string RowKey, T Value)>> readPartition) where T : class
    {
        var partition = (key.Table, key.PartitionKey);
        while (true)
        {
            var pending = _partitionRefreshes.GetOrAdd(partition, _ => new PartitionRefresh());
            lock (pending)
            {
                if (pending.Closed)
                {
                    // Taken for reading just now: start the next one.
                    _partitionRefreshes.TryRemove(new KeyValuePair<(string, string), PartitionRefresh>(partition, pending));
                    continue;
                }

                pending.Rows[key.RowKey] = () => RefreshInBackground(key, read);
                if (pending.Started)
                {
                    return;
                }
                pending.Started = true;
            }

            using (ExecutionContext.SuppressFlow())
            {
                _ = Task.Run(() => RefreshPartitionAsync(partition, pending, readPartition));
            }
            return;
        }
    }

    private async Task RefreshPartitionAsync<T>((string Table, string PartitionKey) partition, PartitionRefresh pending,
        Func<CancellationToken, IAsyncEnumerable<(string RowKey, T Value)>> readPartition) where T : class
    {
        await Task.Delay(PartitionRefreshWindow, _time);
        Dictionary<string, Action> due;
        lock (pending)
        {
            pending.Closed = true;
            due = new Dictionary<string, Action>(pending.Rows, StringComparer.Ordinal);
        }
        _partitionRefreshes.TryRemove(new KeyValuePair<(string, string), PartitionRefresh>(partition, pending));

        if (due.Count < PartitionRefreshMinRows
            || (_partitionQueries.TryGetValue(partition, out var last)
                && last.Rows > Math.Max(due.Count, last.Kept) * PartitionRowsPerDueRow))
        {
            foreach (var refresh in due.Values) refresh();
            return;
        }

        var generation = Interlocked.Read(ref _generation);
        var startedAt = _time.GetUtcNow();
        var read = 0;
        var kept = 0;
        var complete = false;
        try
        {
            await foreach (var (rowKey, value) in readPartition(CancellationToken.None))
            {
                if (++read > PartitionRefreshMaxRows)
                {
                    break;
                }

                var key = new EntryKey(partition.Table, partition.PartitionKey, rowKey);
                if (due.Remove(rowKey) || cache.TryGetValue(key, out _))
                {
                    kept++;
                    if (Interlocked.Read(ref _generation) == generation)
                    {
                        cache.Set(key, new Entry(value, startedAt), _timeToLive);
                    }
                }
            }
            complete = read <= PartitionRefreshMaxRows;
            _partitionQueries[partition] = (read, kept);
        }
        catch (Exception)
        {
            // Kept rows stay until they expire; storage errors surface on the request that reads after that.
            return;
        }

        foreach (var (rowKey, refresh) in due)
        {
            if (complete)
            {
                // Not in the partition any more.
                cache.Remove(new EntryKey(partition.Table, partition.PartitionKey, rowKey));
            }
            else
            {
                refresh();
            }
        }
    }

    /// <summary>Rows of one partition whose refresh is due, each with its own read; closed once taken for reading.</summary>
    private sealed class PartitionRefresh
    {
        public Dictionary<string, Action> Rows { get; } = new(StringComparer.Ordinal);

        public bool Started { get; set; }

        public bool Closed { get; set; }
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
        Func<CancellationToken, Task<T?>> read, CancellationToken cancellationToken,
        Func<CancellationToken, IAsyncEnumerable<(string RowKey, T Value)>>? readPartition = null) where T : class =>
        cache is null ? read(cancellationToken) : cache.GetOrReadAsync(table, partitionKey, rowKey, read, cancellationToken, readPartition);

    /// <summary>Drops the row's entry when disposed, i.e. after the write in its scope finished, whether or not it succeeded.</summary>
    public static Invalidation InvalidateAfterWrite(this DirectoryCache? cache, string table, string partitionKey, string rowKey) =>
        new(cache, table, partitionKey, rowKey);

    public readonly struct Invalidation(DirectoryCache? cache, string table, string partitionKey, string rowKey) : IDisposable
    {
        public void Dispose() => cache?.Invalidate(table, partitionKey, rowKey);
    }
}
