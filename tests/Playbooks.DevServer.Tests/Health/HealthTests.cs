using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Playbooks.DevServer.Tests.Http;

namespace Playbooks.DevServer.Tests.Health;

[Collection(DevServerCollection.Name)]
public sealed class HealthTests(DevServerFactory server)
{
    [Fact]
    public async Task Health_StorageReachable_Returns200WithoutToken()
    {
        var response = await server.CreateClient().GetAsync("/api/health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("healthy", body.GetProperty("status").GetString());
        Assert.Equal("ok", body.GetProperty("checks").GetProperty("storage").GetString());
    }

    [Fact]
    public async Task Health_StorageUnreachable_Returns503()
    {
        await using var server = new UnreachableStorageFactory();

        var response = await server.CreateClient().GetAsync("/api/health");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("unreachable", body.GetProperty("checks").GetProperty("storage").GetString());
    }

    [Fact]
    public async Task ApiRequest_StorageUnreachable_Returns503StorageUnavailableWithRetryAfter()
    {
        await using var server = new UnreachableStorageFactory();
        var rep = await server.SignedInClientAsync("rep-1", "org-unreachable", "Rep");

        var response = await rep.GetAsync("/api/me");

        await response.ProblemAsync(HttpStatusCode.ServiceUnavailable, "storage-unavailable");
        Assert.Equal(TimeSpan.FromSeconds(5), response.Headers.RetryAfter?.Delta);
    }

    [Fact]
    public async Task Health_Twice_IsNotCachedByClientsOrProxies()
    {
        var client = server.CreateClient();

        await client.GetAsync("/api/health");
        var response = await client.GetAsync("/api/health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.Headers.CacheControl?.NoStore);
    }

    [Fact]
    public async Task UnknownApiRoute_Returns404Problem()
    {
        var response = await server.CreateClient().GetAsync("/api/no-such-thing");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Root_ServesTheWebApp()
    {
        var response = await server.CreateClient().GetAsync("/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Playbooks Calling", await response.Content.ReadAsStringAsync());
    }

    private sealed class UnreachableStorageFactory : DevServerFactory
    {
        protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["Storage:ConnectionString"] = global::Playbooks.DevServer.Azurite.AzuriteProcess.ConnectionStringFor(9, 9, 9), // nothing listens on port 9
        };
    }
}
