using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Playbooks.Calling.Storage;

namespace Playbooks.Calling.Tests.Storage;

public sealed class DirectoryCacheTests
{
    private static DirectoryCache Cache(TimeSpan? timeToLive = null, TimeProvider? time = null) =>
        new(new MemoryCache(new MemoryCacheOptions()), Options.Create(new DirectoryCacheOptions { TimeToLive = timeToLive ?? TimeSpan.FromSeconds(5) }), time);

    private sealed class Reads(params string?[] values)
    {
        private int _count;

        public int Count => _count;

        public Task<string?> ReadAsync(CancellationToken _) => Task.FromResult(values[Interlocked.Increment(ref _count) - 1]);
    }

    [Fact]
    public async Task GetOrRead_SecondReadOfTheSameRow_IsServedWithoutReadingAgain()
    {
        // Arrange
        using var recent = DirectoryCache.ServeRecentReads();
        var cache = Cache();
        var reads = new Reads("v1", "v2");

        // Act
        var first = await cache.GetOrReadAsync("People", "org", "u", reads.ReadAsync, default);
        var second = await cache.GetOrReadAsync("People", "org", "u", reads.ReadAsync, default);

        // Assert
        Assert.Equal(("v1", "v1", 1), (first, second, reads.Count));
    }

    [Fact]
    public async Task GetOrRead_AfterInvalidate_ReadsTheStoreAgain()
    {
        // Arrange
        using var recent = DirectoryCache.ServeRecentReads();
        var cache = Cache();
        var reads = new Reads("v1", "v2");
        await cache.GetOrReadAsync("People", "org", "u", reads.ReadAsync, default);

        // Act
        cache.Invalidate("People", "org", "u");
        var after = await cache.GetOrReadAsync("People", "org", "u", reads.ReadAsync, default);

        // Assert
        Assert.Equal(("v2", 2), (after, reads.Count));
    }

    [Fact]
    public async Task GetOrRead_RowNotFound_IsNotKept()
    {
        // Arrange
        using var recent = DirectoryCache.ServeRecentReads();
        var cache = Cache();
        var reads = new Reads(null, "created");

        // Act
        await cache.GetOrReadAsync("People", "org", "u", reads.ReadAsync, default);
        var after = await cache.GetOrReadAsync("People", "org", "u", reads.ReadAsync, default);

        // Assert
        Assert.Equal("created", after);
    }

    [Fact]
    public async Task GetOrRead_DifferentTablesWithTheSameKeys_AreKeptApart()
    {
        // Arrange
        using var recent = DirectoryCache.ServeRecentReads();
        var cache = Cache();

        // Act
        await cache.GetOrReadAsync("Orgs", "org", "u", new Reads("org").ReadAsync, default);
        var person = await cache.GetOrReadAsync("People", "org", "u", new Reads("person").ReadAsync, default);

        // Assert
        Assert.Equal("person", person);
    }

    [Fact]
    public async Task GetOrRead_WriteFinishesWhileTheReadIsInFlight_DoesNotKeepTheOlderRow()
    {
        // Arrange
        using var recent = DirectoryCache.ServeRecentReads();
        var cache = Cache();
        var release = new TaskCompletionSource<string?>();
        var inFlight = cache.GetOrReadAsync("People", "org", "u", _ => release.Task, default);

        // Act: the write lands and invalidates before the older read returns
        cache.Invalidate("People", "org", "u");
        release.SetResult("before-the-write");
        await inFlight;
        var after = await cache.GetOrReadAsync("People", "org", "u", new Reads("after-the-write").ReadAsync, default);

        // Assert
        Assert.Equal("after-the-write", after);
    }

    [Fact]
    public async Task GetOrRead_TimeToLiveZero_AlwaysReadsTheStore()
    {
        // Arrange
        using var recent = DirectoryCache.ServeRecentReads();
        var cache = Cache(TimeSpan.Zero);
        var reads = new Reads("v1", "v2");

        // Act
        await cache.GetOrReadAsync("People", "org", "u", reads.ReadAsync, default);
        var second = await cache.GetOrReadAsync("People", "org", "u", reads.ReadAsync, default);

        // Assert
        Assert.Equal(("v2", 2), (second, reads.Count));
    }

    [Fact]
    public async Task GetOrRead_OutsideRecentReads_ReadsStorageAndRefreshesTheEntry()
    {
        // Arrange
        var cache = Cache();
        var reads = new Reads("v1", "v2");
        using (DirectoryCache.ServeRecentReads())
        {
            await cache.GetOrReadAsync("People", "org", "u", reads.ReadAsync, default);
        }

        // Act
        var fresh = await cache.GetOrReadAsync("People", "org", "u", reads.ReadAsync, default);
        string? recent;
        using (DirectoryCache.ServeRecentReads())
        {
            recent = await cache.GetOrReadAsync("People", "org", "u", new Reads("unused").ReadAsync, default);
        }

        // Assert
        Assert.Equal(("v2", "v2", 2), (fresh, recent, reads.Count));
    }

    [Fact]
    public async Task InvalidateAfterWrite_WithoutACache_ReadsStraightThrough()
    {
        // Arrange
        DirectoryCache? none = null;
        var reads = new Reads("v1", "v2");

        // Act
        using (none.InvalidateAfterWrite("People", "org", "u"))
        {
        }
        await none.ReadThroughAsync("People", "org", "u", reads.ReadAsync, default);
        var second = await none.ReadThroughAsync("People", "org", "u", reads.ReadAsync, default);

        // Assert
        Assert.Equal("v2", second);
    }

    /// <summary>Reads that wait for the test: each call takes the next completion source, so a test sees a read start and decides when it ends.</summary>
    private sealed class HeldReads
    {
        private readonly System.Collections.Concurrent.ConcurrentQueue<TaskCompletionSource<string?>> _started = new();
        private readonly SemaphoreSlim _signal = new(0);

        public Task<string?> ReadAsync(CancellationToken _)
        {
            var read = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
            _started.Enqueue(read);
            _signal.Release();
            return read.Task;
        }

        public int Started => _started.Count;

        /// <summary>Waits (up to 10 s, a deadlock guard, not a timing) for the next read to start and answers it.</summary>
        public async Task AnswerNextAsync(string? value)
        {
            Assert.True(await _signal.WaitAsync(TimeSpan.FromSeconds(10)), "No read started.");
            Assert.True(_started.TryDequeue(out var read));
            read.SetResult(value);
        }
    }

    [Fact]
    public async Task GetOrRead_FirstHalfOfTheEntrysLife_StartsNoRefresh()
    {
        // Arrange
        using var recent = DirectoryCache.ServeRecentReads();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero));
        var cache = Cache(time: time);
        var reads = new HeldReads();
        var first = cache.GetOrReadAsync("People", "org", "u", reads.ReadAsync, default);
        await reads.AnswerNextAsync("v1");
        await first;

        // Act
        time.Advance(TimeSpan.FromSeconds(2.4));
        var served = await cache.GetOrReadAsync("People", "org", "u", reads.ReadAsync, default);

        // Assert
        Assert.Equal(("v1", 0), (served, reads.Started));
    }

    [Fact]
    public async Task GetOrRead_SecondHalfOfTheEntrysLife_ServesTheKeptRowAndRefreshesItOnceInTheBackground()
    {
        // Arrange
        using var recent = DirectoryCache.ServeRecentReads();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero));
        var cache = Cache(time: time);
        var reads = new HeldReads();
        var first = cache.GetOrReadAsync("People", "org", "u", reads.ReadAsync, default);
        await reads.AnswerNextAsync("v1");
        await first;
        time.Advance(TimeSpan.FromSeconds(3));

        // Act: two requests in the entry's second half; the refresh has not answered yet
        var served = await cache.GetOrReadAsync("People", "org", "u", reads.ReadAsync, default);
        var again = await cache.GetOrReadAsync("People", "org", "u", reads.ReadAsync, default);
        await reads.AnswerNextAsync("v2");
        string? refreshed = null;
        for (var i = 0; i < 1_000 && refreshed != "v2"; i++)
        {
            // The refresh stores its row on another thread: poll (bounded) until it is served, the clock standing still.
            refreshed = await cache.GetOrReadAsync("People", "org", "u", _ => Task.FromResult<string?>("not-read"), default);
            if (refreshed != "v2") await Task.Delay(10);
        }
        time.Advance(TimeSpan.FromSeconds(2.4));
        var afterRefresh = await cache.GetOrReadAsync("People", "org", "u", _ => Task.FromResult<string?>("not-read"), default);

        // Assert: served without waiting, one refresh only, and 5.4 s after the first read the refreshed row is served
        Assert.Equal(("v1", "v1", "v2", 0), (served, again, afterRefresh, reads.Started));
    }

    [Fact]
    public async Task GetOrRead_EntryOlderThanTheTimeToLive_IsNeverServedEvenWhileARefreshIsPending()
    {
        // Arrange
        using var recent = DirectoryCache.ServeRecentReads();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero));
        var cache = Cache(time: time);
        var reads = new HeldReads();
        var first = cache.GetOrReadAsync("People", "org", "u", reads.ReadAsync, default);
        await reads.AnswerNextAsync("v1");
        await first;
        time.Advance(TimeSpan.FromSeconds(4));
        await cache.GetOrReadAsync("People", "org", "u", reads.ReadAsync, default);

        // Act: the background refresh hangs; the entry's time to live (counted from its read's start) runs out
        time.Advance(TimeSpan.FromSeconds(1));
        var late = cache.GetOrReadAsync("People", "org", "u", _ => Task.FromResult<string?>("read-now"), default);

        // Assert
        Assert.Equal("read-now", await late);
        await reads.AnswerNextAsync("v-refresh");
    }

    [Fact]
    public async Task GetOrRead_RefreshFindsTheRowDeleted_DropsTheEntry()
    {
        // Arrange
        using var recent = DirectoryCache.ServeRecentReads();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero));
        var cache = Cache(time: time);
        var reads = new HeldReads();
        var first = cache.GetOrReadAsync("People", "org", "u", reads.ReadAsync, default);
        await reads.AnswerNextAsync("v1");
        await first;
        time.Advance(TimeSpan.FromSeconds(3));
        await cache.GetOrReadAsync("People", "org", "u", reads.ReadAsync, default);

        // Act
        await reads.AnswerNextAsync(null);
        string? after = "v1";
        for (var i = 0; i < 1_000 && after == "v1"; i++)
        {
            after = await cache.GetOrReadAsync("People", "org", "u", _ => Task.FromResult<string?>(null), default);
            if (after == "v1") await Task.Delay(10);
        }

        // Assert
        Assert.Null(after);
    }

    [Fact]
    public async Task GetOrRead_RefreshStartedBeforeAWrite_DoesNotKeepTheOlderRow()
    {
        // Arrange
        using var recent = DirectoryCache.ServeRecentReads();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero));
        var cache = Cache(time: time);
        var reads = new HeldReads();
        var first = cache.GetOrReadAsync("People", "org", "u", reads.ReadAsync, default);
        await reads.AnswerNextAsync("v1");
        await first;
        time.Advance(TimeSpan.FromSeconds(3));
        await cache.GetOrReadAsync("People", "org", "u", reads.ReadAsync, default);

        // Act: a write on this instance lands while the refresh is in flight
        cache.Invalidate("People", "org", "u");
        await reads.AnswerNextAsync("before-the-write");
        await Task.Delay(50);
        var after = await cache.GetOrReadAsync("People", "org", "u", _ => Task.FromResult<string?>("after-the-write"), default);

        // Assert
        Assert.Equal("after-the-write", after);
    }

    [Theory]
    [InlineData("00:00:05", true)]
    [InlineData("00:00:00", true)]
    [InlineData("00:00:05.001", false)]
    [InlineData("00:01:00", false)]
    public void Options_TimeToLive_IsAtMostFiveSeconds(string timeToLive, bool valid)
    {
        // Arrange
        var options = new DirectoryCacheOptions { TimeToLive = TimeSpan.Parse(timeToLive, System.Globalization.CultureInfo.InvariantCulture) };

        // Act
        var ok = Validator.TryValidateObject(options, new ValidationContext(options), [], validateAllProperties: true);

        // Assert
        Assert.Equal(valid, ok);
    }

    // ---- refreshing many rows of one partition ----

    /// <summary>A partition of the "People" table: rows read one by one, and the whole partition, with what each returns now.</summary>
    private sealed class Partition
    {
        private int _rowReads;
        private int _partitionReads;

        public Dictionary<string, string> Rows { get; } = new(StringComparer.Ordinal);

        public int RowReads => _rowReads;

        public int PartitionReads => _partitionReads;

        /// <summary>Held until set, when given: the partition read waits for it before returning any row.</summary>
        public TaskCompletionSource? Gate { get; set; }

        public bool Fails { get; set; }

        /// <summary>Set once a partition read returned its last row and the cache took it (the caller asked for the next).</summary>
        public TaskCompletionSource Finished { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Func<CancellationToken, Task<string?>> Row(string rowKey) => _ =>
        {
            Interlocked.Increment(ref _rowReads);
            lock (Rows) return Task.FromResult(Rows.GetValueOrDefault(rowKey));
        };

        public async IAsyncEnumerable<(string RowKey, string Value)> ReadAllAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken _ = default)
        {
            Interlocked.Increment(ref _partitionReads);
            if (Gate is { } gate) await gate.Task;
            if (Fails) throw new Azure.RequestFailedException(503, "Server busy");
            List<KeyValuePair<string, string>> rows;
            lock (Rows) rows = Rows.OrderBy(r => r.Key, StringComparer.Ordinal).ToList();
            foreach (var (key, value) in rows) yield return (key, value);
            Finished.TrySetResult();
        }

        public Task<string?> GetAsync(DirectoryCache cache, string rowKey) =>
            cache.GetOrReadAsync("People", "org", rowKey, Row(rowKey), default, ReadAllAsync);

        public void SetAll(string value)
        {
            lock (Rows) foreach (var key in Rows.Keys.ToList()) Rows[key] = value;
        }
    }

    private static string[] RowKeys(int count) => Enumerable.Range(0, count).Select(i => $"u{i:D2}").ToArray();

    /// <summary>A cache that read the first <paramref name="count"/> rows of the partition (each "v1" unless set), and its clock.</summary>
    private static async Task<(FakeTimeProvider Time, DirectoryCache Cache, string[] Keys)> KeptAsync(Partition partition, int count)
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));
        var cache = Cache(time: time);
        var keys = RowKeys(count);
        foreach (var key in keys) partition.Rows.TryAdd(key, "v1");
        foreach (var key in keys) await partition.GetAsync(cache, key);
        return (time, cache, keys);
    }

    /// <summary>Moves the clock past the refresh window until <paramref name="done"/> holds (bounded; a deadlock guard, not a timing).</summary>
    private static async Task PassWindowsUntilAsync(FakeTimeProvider time, Func<bool> done)
    {
        for (var i = 0; i < 500 && !done(); i++)
        {
            time.Advance(DirectoryCache.PartitionRefreshWindow);
            await Task.Delay(10);
        }
        Assert.True(done(), "The partition refresh did not finish.");
    }

    [Fact]
    public async Task GetOrRead_ManyRowsOfAPartitionDue_AreRefreshedByOneQueryOfThePartition()
    {
        // Arrange: ten kept rows in their second half-life
        using var recent = DirectoryCache.ServeRecentReads();
        var partition = new Partition { Rows = { ["not-kept"] = "v1" } };
        var (time, cache, keys) = await KeptAsync(partition, 10);
        partition.SetAll("v2");
        time.Advance(TimeSpan.FromSeconds(3));

        // Act: each served once, which makes each due
        var served = new List<string?>();
        foreach (var key in keys) served.Add(await partition.GetAsync(cache, key));
        var kept = new List<string?>();
        await PassWindowsUntilAsync(time, () =>
        {
            kept = keys.Select(k => cache.GetOrReadAsync("People", "org", k, _ => Task.FromResult<string?>("not-kept"), default).Result).ToList();
            return kept.All(v => v == "v2");
        });
        var rowReadsAfterRefresh = partition.RowReads;
        await partition.GetAsync(cache, "not-kept");

        // Assert: the kept rows were served at once, then refreshed by one query and no row read; a row of the partition
        // this instance did not keep was not added
        Assert.All(served, v => Assert.Equal("v1", v));
        Assert.Equal((1, 10), (partition.PartitionReads, rowReadsAfterRefresh));
        Assert.Equal(11, partition.RowReads);
    }

    [Fact]
    public async Task GetOrRead_FewRowsOfAPartitionDue_AreReadOneByOne()
    {
        // Arrange
        using var recent = DirectoryCache.ServeRecentReads();
        var partition = new Partition();
        var (time, cache, keys) = await KeptAsync(partition, DirectoryCache.PartitionRefreshMinRows - 1);
        partition.SetAll("v2");
        time.Advance(TimeSpan.FromSeconds(3));

        // Act
        foreach (var key in keys) await partition.GetAsync(cache, key);
        await PassWindowsUntilAsync(time, () => partition.RowReads == 2 * keys.Length);

        // Assert
        Assert.Equal(0, partition.PartitionReads);
    }

    [Fact]
    public async Task GetOrRead_PartitionRefreshNoLongerFindsARow_DropsIt()
    {
        // Arrange
        using var recent = DirectoryCache.ServeRecentReads();
        var partition = new Partition();
        var (time, cache, keys) = await KeptAsync(partition, DirectoryCache.PartitionRefreshMinRows);
        lock (partition.Rows) partition.Rows.Remove(keys[0]);
        time.Advance(TimeSpan.FromSeconds(3));

        // Act
        foreach (var key in keys) await partition.GetAsync(cache, key);
        await PassWindowsUntilAsync(time, () => partition.PartitionReads == 1);
        string? removed = "v1";
        for (var i = 0; i < 500 && removed is not null; i++)
        {
            removed = await partition.GetAsync(cache, keys[0]);
            if (removed is not null) await Task.Delay(10);
        }

        // Assert: the deleted person is read from storage again, and not found
        Assert.Null(removed);
    }

    [Fact]
    public async Task GetOrRead_WriteWhilePartitionRefreshReads_KeepsNothingItRead()
    {
        // Arrange
        using var recent = DirectoryCache.ServeRecentReads();
        var partition = new Partition { Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) };
        var (time, cache, keys) = await KeptAsync(partition, DirectoryCache.PartitionRefreshMinRows);
        partition.SetAll("old");
        time.Advance(TimeSpan.FromSeconds(3));
        foreach (var key in keys) await partition.GetAsync(cache, key);
        await PassWindowsUntilAsync(time, () => partition.PartitionReads == 1);

        // Act: a write finishes while the query is out; then the query returns what it read before the write
        cache.Invalidate("People", "org", keys[1]);
        partition.Gate.SetResult();
        await partition.Finished.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var served = new List<string?>();
        foreach (var key in keys.Skip(2)) served.Add(await cache.GetOrReadAsync("People", "org", key, _ => Task.FromResult<string?>("not-kept"), default));

        // Assert: still the rows kept before the query, which expire on time
        Assert.All(served, v => Assert.Equal("v1", v));
    }

    [Fact]
    public async Task GetOrRead_PartitionRefreshFails_ServesKeptRowsUntilTheyExpireThenReadsStorage()
    {
        // Arrange
        using var recent = DirectoryCache.ServeRecentReads();
        var partition = new Partition { Fails = true };
        var (time, cache, keys) = await KeptAsync(partition, DirectoryCache.PartitionRefreshMinRows);
        partition.SetAll("v2");
        time.Advance(TimeSpan.FromSeconds(3));
        foreach (var key in keys) await partition.GetAsync(cache, key);
        await PassWindowsUntilAsync(time, () => partition.PartitionReads == 1);
        await Task.Delay(50);

        // Act
        var beforeExpiry = await partition.GetAsync(cache, keys[0]);
        time.Advance(TimeSpan.FromSeconds(2));
        var afterExpiry = await partition.GetAsync(cache, keys[0]);

        // Assert
        Assert.Equal(("v1", "v2"), (beforeExpiry, afterExpiry));
    }

    [Fact]
    public async Task GetOrRead_FewRowsDueInAPartitionFoundMuchBigger_AreReadOneByOneNextTime()
    {
        // Arrange: a partition of more than 50 rows per due row; its first refresh finds that out
        using var recent = DirectoryCache.ServeRecentReads();
        var partition = new Partition();
        foreach (var key in RowKeys(DirectoryCache.PartitionRefreshMinRows * DirectoryCache.PartitionRowsPerDueRow + 1)) partition.Rows[key] = "v1";
        var (time, cache, keys) = await KeptAsync(partition, DirectoryCache.PartitionRefreshMinRows);
        time.Advance(TimeSpan.FromSeconds(3));
        foreach (var key in keys) await partition.GetAsync(cache, key);
        await PassWindowsUntilAsync(time, () => partition.PartitionReads == 1);
        await partition.Finished.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var rowReads = partition.RowReads;

        // Act: the same rows due again, half a life later
        time.Advance(TimeSpan.FromSeconds(2.5));
        foreach (var key in keys) await partition.GetAsync(cache, key);
        await PassWindowsUntilAsync(time, () => partition.RowReads == rowReads + keys.Length);

        // Assert
        Assert.Equal(1, partition.PartitionReads);
    }

    [Fact]
    public async Task GetOrRead_FewRowsDueInABigPartitionWhoseQueryRefreshedManyKeptRows_AreStillRefreshedByOneQuery()
    {
        // Arrange: the instance keeps one row more than a query of this partition needs to pay off (50 rows each)
        using var recent = DirectoryCache.ServeRecentReads();
        var partition = new Partition();
        var size = DirectoryCache.PartitionRefreshMinRows * DirectoryCache.PartitionRowsPerDueRow + 1;
        foreach (var key in RowKeys(size)) partition.Rows[key] = "v1";
        var (time, cache, keys) = await KeptAsync(partition, DirectoryCache.PartitionRefreshMinRows + 1);
        time.Advance(TimeSpan.FromSeconds(3));
        foreach (var key in keys) await partition.GetAsync(cache, key);
        await PassWindowsUntilAsync(time, () => partition.PartitionReads == 1);
        await partition.Finished.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var rowReads = partition.RowReads;

        // Act: half a life later, only the fewest rows that may go as a query are due, too few to pay off alone
        time.Advance(TimeSpan.FromSeconds(2.5));
        foreach (var key in keys.Skip(1)) await partition.GetAsync(cache, key);
        await PassWindowsUntilAsync(time, () => partition.PartitionReads == 2);

        // Assert: the query refreshed every kept row again, and no row was read on its own
        Assert.Equal(rowReads, partition.RowReads);
    }
}
