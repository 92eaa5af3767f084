using System.Net;
using Playbooks.Calling.Calls;
using Playbooks.Calling.Storage;

namespace Playbooks.DevServer.Tests.Storage;

/// <summary>
/// The round-trip budget of each hot endpoint on a warm instance, counted on the storage clients (never timed):
/// every round trip here is network latency in Azure, heard by a prospect as silence before ringback.
/// </summary>
public sealed class StorageBudgetTests(StorageBudgetServer server) : IClassFixture<StorageBudgetServer>
{
    private const string Prospect = "+12015550123";

    private static string NewCallSid() => "CA" + Guid.NewGuid().ToString("N");

    private static Dictionary<string, string> BrowserCall(string orgId, string userId) => new()
    {
        ["AccountSid"] = "AC00000000000000000000000000000de7",
        ["CallSid"] = NewCallSid(),
        ["From"] = "client:" + ClientIdentity.Encode(orgId, userId).Value,
        ["To"] = Prospect,
    };

    private static HttpRequestMessage Token() => new(HttpMethod.Post, "/api/calls/token");

    [Fact]
    public async Task CallToken_WarmInstance_MakesNoStorageCalls()
    {
        // Arrange
        var (orgId, userId) = await server.CreateCallingOrgAsync();
        var rep = await server.SignedInClientAsync(userId, orgId, "Rep");
        (await rep.SendAsync(Token())).EnsureSuccessStatusCode();

        // Act
        var (response, calls) = await server.ProbeAsync(rep, Token());

        // Assert
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(calls);
    }

    [Fact]
    public async Task Voice_WarmInstance_MakesOneStorageCallTheLedgerWrite()
    {
        // Arrange
        var (orgId, userId) = await server.CreateCallingOrgAsync();
        var client = server.CreateClient();
        (await client.SendAsync(StorageBudgetServer.Webhook("/api/twilio/voice", BrowserCall(orgId, userId)))).EnsureSuccessStatusCode();

        // Act
        var (response, calls) = await server.ProbeAsync(client, StorageBudgetServer.Webhook("/api/twilio/voice", BrowserCall(orgId, userId)));

        // Assert
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("<Dial", await response.Content.ReadAsStringAsync());
        var write = Assert.Single(calls);
        Assert.False(write.IsRead, write.ToString());
        Assert.Contains($"/{TableNames.Calls}", write.Path);
    }

    [Fact]
    public async Task Voice_ColdInstance_ReadsNoEntityTwice()
    {
        // Arrange: a new org is in no cache yet
        var (orgId, userId) = await server.CreateCallingOrgAsync();

        // Act
        var (response, calls) = await server.ProbeAsync(server.CreateClient(), StorageBudgetServer.Webhook("/api/twilio/voice", BrowserCall(orgId, userId)));

        // Assert
        Assert.Contains("<Dial", await response.Content.ReadAsStringAsync());
        var reads = calls.Where(c => c.IsRead).Select(c => c.Path).ToList();
        Assert.Equal(reads.Distinct().Count(), reads.Count);
        Assert.Single(calls, c => !c.IsRead);
    }

    [Fact]
    public async Task Status_SignedCallback_MakesOneStorageCallTheEnqueue()
    {
        // Arrange
        var form = new Dictionary<string, string>
        {
            ["CallSid"] = NewCallSid(), ["ParentCallSid"] = NewCallSid(), ["CallStatus"] = "ringing", ["SequenceNumber"] = "1",
            ["Timestamp"] = "Fri, 14 Mar 2025 09:00:03 +0000",
        };

        // Act
        var (response, calls) = await server.ProbeAsync(server.CreateClient(),
            StorageBudgetServer.Webhook("/api/twilio/status?orgId=acme-demo&userId=rep-both&method=computer", form));

        // Assert
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        var enqueue = Assert.Single(calls);
        Assert.Equal("POST", enqueue.Method);
        Assert.EndsWith("/messages", enqueue.Path);
    }

    [Fact]
    public async Task RecordingStatus_SignedCallback_MakesOneStorageCallTheEnqueue()
    {
        // Arrange
        var form = new Dictionary<string, string>
        {
            ["CallSid"] = NewCallSid(), ["RecordingSid"] = "RE01", ["RecordingStatus"] = "completed", ["RecordingDuration"] = "12",
        };

        // Act
        var (response, calls) = await server.ProbeAsync(server.CreateClient(),
            StorageBudgetServer.Webhook("/api/twilio/recording-status?orgId=acme-demo&userId=rep-both&method=computer", form));

        // Assert
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        var enqueue = Assert.Single(calls);
        Assert.Equal("POST", enqueue.Method);
        Assert.EndsWith("/messages", enqueue.Path);
    }

    [Fact]
    public async Task Me_WarmInstanceWithoutIfNoneMatch_MakesNoStorageCalls()
    {
        // Arrange
        var (orgId, userId) = await server.CreateCallingOrgAsync();
        var rep = await server.SignedInClientAsync(userId, orgId, "Rep");
        (await rep.GetAsync("/api/me")).EnsureSuccessStatusCode();

        // Act
        var (response, calls) = await server.ProbeAsync(rep, StorageBudgetServer.Get("/api/me"));

        // Assert
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(calls);
    }

    [Fact]
    public async Task Me_WarmInstanceWithIfNoneMatch_Returns304WithNoStorageCalls()
    {
        // Arrange
        var (orgId, userId) = await server.CreateCallingOrgAsync();
        var rep = await server.SignedInClientAsync(userId, orgId, "Rep");
        var first = await rep.GetAsync("/api/me");
        first.EnsureSuccessStatusCode();

        // Act
        var (response, calls) = await server.ProbeAsync(rep, StorageBudgetServer.Get("/api/me", first.Headers.ETag!.ToString()));

        // Assert
        Assert.Equal(HttpStatusCode.NotModified, response.StatusCode);
        Assert.Empty(calls);
    }

    [Fact]
    public async Task Me_ColdInstance_ReadsTheOrgAndThePersonTogether()
    {
        // Arrange: a new org and person are in no cache yet
        var (orgId, userId) = await server.CreateCallingOrgAsync();
        var rep = await server.SignedInClientAsync(userId, orgId, "Rep");

        // Act
        var (response, calls) = await server.ProbeAsync(rep, StorageBudgetServer.Get("/api/me"), gather: 2);

        // Assert: both reads started before either finished, and nothing was read twice
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var org = Assert.Single(calls, c => c.IsRead && c.Path.Contains($"/{TableNames.Orgs}(", StringComparison.Ordinal));
        var person = Assert.Single(calls, c => c.IsRead && c.Path.Contains($"/{TableNames.People}(", StringComparison.Ordinal));
        Assert.Equal((0, 0), (org.FinishedBefore, person.FinishedBefore));
        var reads = calls.Where(c => c.IsRead).Select(c => c.Path).ToList();
        Assert.Equal(reads.Distinct().Count(), reads.Count);
    }

    [Fact]
    public async Task Voice_ColdInstance_ReadsTheOrgAndThePersonTogether()
    {
        // Arrange
        var (orgId, userId) = await server.CreateCallingOrgAsync();

        // Act
        var (response, calls) = await server.ProbeAsync(server.CreateClient(), StorageBudgetServer.Webhook("/api/twilio/voice", BrowserCall(orgId, userId)), gather: 2);

        // Assert
        Assert.Contains("<Dial", await response.Content.ReadAsStringAsync());
        var org = Assert.Single(calls, c => c.IsRead && c.Path.Contains($"/{TableNames.Orgs}(", StringComparison.Ordinal));
        var person = Assert.Single(calls, c => c.IsRead && c.Path.Contains($"/{TableNames.People}(", StringComparison.Ordinal));
        Assert.Equal((0, 0), (org.FinishedBefore, person.FinishedBefore));
    }

    [Fact]
    public async Task CallToken_ColdInstance_ReadsTheOrgAndThePersonTogetherAndNoEntityTwice()
    {
        // Arrange
        var (orgId, userId) = await server.CreateCallingOrgAsync();
        var rep = await server.SignedInClientAsync(userId, orgId, "Rep");

        // Act
        var (response, calls) = await server.ProbeAsync(rep, Token(), gather: 2);

        // Assert
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var org = Assert.Single(calls, c => c.IsRead && c.Path.Contains($"/{TableNames.Orgs}(", StringComparison.Ordinal));
        var person = Assert.Single(calls, c => c.IsRead && c.Path.Contains($"/{TableNames.People}(", StringComparison.Ordinal));
        Assert.Equal((0, 0), (org.FinishedBefore, person.FinishedBefore));
        var reads = calls.Where(c => c.IsRead).Select(c => c.Path).ToList();
        Assert.Equal(reads.Distinct().Count(), reads.Count);
    }
}
