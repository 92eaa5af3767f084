using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Playbooks.DevServer.Tests.Benchmark;

/// <summary>The development-only routes the HTTP load benchmark reads: the no-I/O ceiling and the storage call count.</summary>
public sealed class BenchmarkEndpointsTests(StorageCountingServer server) : IClassFixture<StorageCountingServer>
{
    [Fact]
    public async Task Ping_Development_AnswersPongWithoutStorageCalls()
    {
        // Arrange
        var client = server.CreateClient();
        var before = await CountAsync(client);

        // Act
        var response = await client.GetAsync("/dev/ping");

        // Assert
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("pong", await response.Content.ReadAsStringAsync());
        Assert.Equal(before, await CountAsync(client));
    }

    [Fact]
    public async Task StorageCalls_CountingOn_CountsTheCallsMadeServingARequest()
    {
        // Arrange: a user who never signed in is in no cache, so /api/me has to read the store (and create them)
        var rep = await server.SignedInClientAsync($"bench-{Guid.NewGuid():N}", "acme-demo", "Rep");
        var before = await CountAsync(rep);

        // Act
        var me = await rep.GetAsync("/api/me");

        // Assert
        Assert.True(me.StatusCode == HttpStatusCode.OK, $"{(int)me.StatusCode} {await me.Content.ReadAsStringAsync()}");
        var after = await CountAsync(rep);
        Assert.True(after > before, $"GET /api/me on a cold cache made storage calls that were not counted ({before} -> {after})");
    }

    [Fact]
    public async Task StorageCalls_BackgroundLoopsPolling_CountOnlyInAll()
    {
        // Arrange: the activity writer polls its queue every 250 ms when idle
        var client = server.CreateClient();
        var before = await CountsAsync(client);

        // Act
        await Task.Delay(TimeSpan.FromSeconds(1.5));

        // Assert: not calls made serving a request, but round trips all the same
        var after = await CountsAsync(client);
        Assert.Equal(before.Serving, after.Serving);
        Assert.True(after.All - before.All >= 3, $"1.5 s of idle polling counted {after.All - before.All} round trips in all");
        var kinds = (await client.GetFromJsonAsync<JsonElement>("/dev/storage-calls")).GetProperty("byKind");
        Assert.True(kinds.TryGetProperty("GET call-events (background)", out var polls) && polls.GetInt64() >= 3, kinds.ToString());
    }

    [Fact]
    public async Task StorageCalls_ColdRead_NamesItsTableByKind()
    {
        // Arrange
        var rep = await server.SignedInClientAsync($"bench-{Guid.NewGuid():N}", "acme-demo", "Rep");

        // Act
        await rep.GetAsync("/api/me");
        var kinds = (await rep.GetFromJsonAsync<JsonElement>("/dev/storage-calls")).GetProperty("byKind");

        // Assert: served, so without "(background)"
        Assert.True(kinds.TryGetProperty("GET People", out var reads) && reads.GetInt64() >= 1, kinds.ToString());
    }

    [Fact]
    public async Task StorageCalls_CountingOff_ReportsDisabled()
    {
        // Arrange
        await using var plain = new DevServerFactory();

        // Act
        var body = await plain.CreateClient().GetFromJsonAsync<JsonElement>("/dev/storage-calls");

        // Assert
        Assert.False(body.GetProperty("enabled").GetBoolean());
        Assert.Equal(0, body.GetProperty("count").GetInt64());
        Assert.Equal(0, body.GetProperty("all").GetInt64());
    }

    [Fact]
    public async Task BenchmarkRoutes_OutsideDevelopment_AreNotServed()
    {
        // Arrange
        await using var production = new ProductionDevServerFactory(new Dictionary<string, string?> { ["DevServer:CountStorageCalls"] = "true" });
        var client = production.CreateClient();

        // Act
        var ping = await client.GetAsync("/dev/ping");
        var calls = await client.GetAsync("/dev/storage-calls");

        // Assert
        Assert.Equal(HttpStatusCode.NotFound, ping.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, calls.StatusCode);
    }

    private static async Task<long> CountAsync(HttpClient client) => (await CountsAsync(client)).Serving;

    private static async Task<(long Serving, long All)> CountsAsync(HttpClient client)
    {
        var body = await client.GetFromJsonAsync<JsonElement>("/dev/storage-calls");
        Assert.True(body.GetProperty("enabled").GetBoolean());
        return (body.GetProperty("count").GetInt64(), body.GetProperty("all").GetInt64());
    }
}
