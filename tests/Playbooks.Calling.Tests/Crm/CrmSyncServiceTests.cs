using Microsoft.Extensions.Logging.Abstractions;
using Moq;
using Playbooks.Calling.Activity;
using Playbooks.Calling.Crm;
using Playbooks.Calling.Crm.Dynamics;
using Playbooks.Calling.Tests.OrgDirectory;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Playbooks.Calling.Tests.Crm;

public sealed class CrmSyncServiceTests : IDisposable
{
    private readonly FakeTimeProvider _clock = new(CrmTestKit.Start);
    private readonly SalesforceStub _sf;
    private readonly Mock<CrmConnectionStore> _connections = StoreMocks.Of<CrmConnectionStore>();
    private readonly CrmOrgHolds _holds;

    public CrmSyncServiceTests()
    {
        _sf = new SalesforceStub(_clock);
        _holds = new CrmOrgHolds(CrmTestKit.Options(), _clock);
    }

    public void Dispose() => _sf.Dispose();

    private CrmSyncService Service(params ICrmConnector[] connectors) =>
        new(_connections.Object, connectors.Length > 0 ? connectors : [_sf.Connector], _holds, CrmTestKit.Options(), _clock, NullLogger<CrmSyncService>.Instance);

    private void GivenConnection(CrmConnection connection) =>
        _connections.Setup(c => c.GetAsync(connection.OrgId, It.IsAny<CancellationToken>())).ReturnsAsync(connection);

    [Fact]
    public async Task SyncAsync_CallStillRinging_SkippedAndNothingSent()
    {
        var ringing = CrmTestKit.Ended("org-a", CrmTestKit.Sid(1)) with { Status = CallStatus.Ringing, EndedAt = null };

        var outcomes = await Service().SyncAsync([ringing], CancellationToken.None);

        Assert.Equal(CrmSyncResult.Skipped, Assert.Single(outcomes).Result);
        Assert.Empty(_sf.Server.LogEntries);
    }

    [Fact]
    public async Task SyncAsync_OrgWithoutCrm_Skipped()
    {
        GivenConnection(CrmConnection.NoneFor("org-a"));

        var outcomes = await Service().SyncAsync([CrmTestKit.Ended("org-a", CrmTestKit.Sid(1))], CancellationToken.None);

        Assert.Equal(CrmSyncResult.Skipped, Assert.Single(outcomes).Result);
        Assert.Empty(_sf.Server.LogEntries);
    }

    [Fact]
    public async Task SyncAsync_RateLimitedThenTimePasses_WaitsWithoutRequestsThenSyncs()
    {
        GivenConnection(_sf.Connection("org-a"));
        _sf.GivenToken().GivenCollectionsSucceed();
        _sf.Server.Given(Request.Create().WithPath($"{SalesforceStub.DataPath}/query").UsingGet())
            .InScenario("limit").WillSetStateTo("ok")
            .RespondWith(Response.Create().WithStatusCode(429).WithHeader("Retry-After", "120"));
        _sf.Server.Given(Request.Create().WithPath($"{SalesforceStub.DataPath}/query").UsingGet())
            .InScenario("limit").WhenStateIs("ok")
            .RespondWith(Response.Create().WithBodyAsJson(new { totalSize = 0, done = true, records = Array.Empty<object>() }));
        var service = Service();
        var activity = CrmTestKit.Ended("org-a", CrmTestKit.Sid(1));

        var limited = await service.SyncAsync([activity], CancellationToken.None);
        _clock.Advance(TimeSpan.FromSeconds(60));
        var waiting = await service.SyncAsync([activity], CancellationToken.None);
        _clock.Advance(TimeSpan.FromSeconds(61));
        var synced = await service.SyncAsync([activity], CancellationToken.None);

        Assert.Equal((CrmSyncResult.RetryLater, CrmTestKit.Start.AddSeconds(120)), (limited[0].Result, limited[0].NotBefore!.Value));
        Assert.Equal((CrmSyncResult.RetryLater, false), (waiting[0].Result, waiting[0].Attempted));
        Assert.Equal(CrmSyncResult.Synced, synced[0].Result);
        Assert.Equal(2, _sf.Queries.Count);
        Assert.Single(_sf.Creates);
    }

    [Fact]
    public async Task SyncAsync_OutageWithoutRetryAfter_BackoffDoublesPerFailedRun()
    {
        GivenConnection(_sf.Connection("org-a"));
        _sf.GivenToken();
        _sf.Server.Given(Request.Create().WithPath($"{SalesforceStub.DataPath}/query").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(502));
        var service = Service();
        var activity = CrmTestKit.Ended("org-a", CrmTestKit.Sid(1));

        var first = await service.SyncAsync([activity], CancellationToken.None);
        _clock.Advance(TimeSpan.FromSeconds(30));
        var second = await service.SyncAsync([activity], CancellationToken.None);

        Assert.Equal(CrmTestKit.Start.AddSeconds(30), first[0].NotBefore);
        Assert.Equal(CrmTestKit.Start.AddSeconds(30 + 60), second[0].NotBefore);
        Assert.Equal(CrmTestKit.Start.AddSeconds(90), _holds.HeldUntil("org-a"));
    }

    [Fact]
    public async Task SyncAsync_OneOrgsCrmDown_OtherOrgStillSynced()
    {
        using var dataverse = WireMockServer.Start();
        using var entra = EntraStandIn.Start();
        entra.Given(Request.Create().UsingPost()).RespondWith(Response.Create().WithBodyAsJson(new { token_type = "Bearer", expires_in = 3599, access_token = "d" }));
        dataverse.Given(Request.Create().UsingPatch()).RespondWith(Response.Create().WithStatusCode(204));
        var dynamicsOptions = CrmTestKit.Options(o => o.EntraAuthorityHost = new Uri(entra.Url!));
        var dynamics = new DynamicsConnector(EntraStandIn.HttpClients, CrmTestKit.Secrets(_clock), EntraStandIn.Credentials(dynamicsOptions, _clock),
            dynamicsOptions, _clock, NullLogger<DynamicsConnector>.Instance);
        GivenConnection(_sf.Connection("org-a"));
        GivenConnection(CrmTestKit.Dynamics("org-b", dataverse.Url!));
        _sf.Server.Given(Request.Create().UsingAnyMethod()).RespondWith(Response.Create().WithStatusCode(503));
        var due = new[]
        {
            CrmTestKit.Ended("org-a", CrmTestKit.Sid(1)), CrmTestKit.Ended("org-b", CrmTestKit.Sid(2)),
            CrmTestKit.Ended("org-a", CrmTestKit.Sid(3)), CrmTestKit.Ended("org-b", CrmTestKit.Sid(4)),
        };

        var outcomes = await Service(_sf.Connector, dynamics).SyncAsync(due, CancellationToken.None);

        Assert.Equal(
            [CrmSyncResult.RetryLater, CrmSyncResult.Synced, CrmSyncResult.RetryLater, CrmSyncResult.Synced],
            outcomes.Select(o => o.Result));
        Assert.Equal(2, dataverse.LogEntries.Count());
        Assert.NotNull(_holds.HeldUntil("org-a"));
        Assert.Null(_holds.HeldUntil("org-b"));
    }

    [Fact]
    public async Task SyncAsync_ConnectionStoreUnreachable_RetryLaterNothingLost()
    {
        _connections.Setup(c => c.GetAsync("org-a", It.IsAny<CancellationToken>())).ThrowsAsync(new Azure.RequestFailedException(503, "busy"));
        var activities = new[] { CrmTestKit.Ended("org-a", CrmTestKit.Sid(1)), CrmTestKit.Ended("org-a", CrmTestKit.Sid(2)) };

        var outcomes = await Service().SyncAsync(activities, CancellationToken.None);

        Assert.All(outcomes, o => Assert.Equal(CrmSyncResult.RetryLater, o.Result));
        Assert.Equal(activities.Select(a => a.Key), outcomes.Select(o => o.Key));
    }

    [Fact]
    public async Task SyncAsync_DuplicateActivities_OneOutcomeForTheLatest()
    {
        GivenConnection(_sf.Connection("org-a"));
        _sf.GivenToken().GivenExistingTasks().GivenCollectionsSucceed();
        var first = CrmTestKit.Ended("org-a", CrmTestKit.Sid(1));

        var outcomes = await Service().SyncAsync([first, first with { Notes = "latest notes" }], CancellationToken.None);

        Assert.Single(outcomes);
        var record = SalesforceStub.Body(Assert.Single(_sf.Creates))["records"]!.AsArray();
        Assert.Contains("latest notes", Assert.Single(record)!["Description"]!.GetValue<string>());
    }
}
