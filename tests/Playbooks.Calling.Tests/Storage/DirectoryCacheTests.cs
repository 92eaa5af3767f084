using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Playbooks.Calling.Storage;

namespace Playbooks.Calling.Tests.Storage;

public sealed class DirectoryCacheTests
{
    private static DirectoryCache Cache(TimeSpan? timeToLive = null) =>
        new(new MemoryCache(new MemoryCacheOptions()), Options.Create(new DirectoryCacheOptions { TimeToLive = timeToLive ?? TimeSpan.FromSeconds(5) }));

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
}
