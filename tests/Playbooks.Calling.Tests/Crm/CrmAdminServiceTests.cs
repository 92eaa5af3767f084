using Microsoft.Extensions.Logging.Abstractions;
using Moq;
using Playbooks.Calling.Activity;
using Playbooks.Calling.Crm;
using Playbooks.Calling.Tests.OrgDirectory;

namespace Playbooks.Calling.Tests.Crm;

public sealed class CrmAdminServiceTests
{
    private readonly FakeTimeProvider _clock = new(CrmTestKit.Start);
    private readonly Mock<CrmConnectionStore> _store = StoreMocks.Of<CrmConnectionStore>();
    private readonly Mock<IActivityRepository> _activities = new(MockBehavior.Strict);
    private readonly Mock<ICrmConnector> _salesforce = new(MockBehavior.Strict);
    private readonly Mock<CrmSyncRunner> _runner;
    private readonly List<string> _audited = [];
    private readonly Mock<CrmSyncWarnings> _warnings = CrmTestKit.Warnings();

    public CrmAdminServiceTests()
    {
        var holds = new CrmOrgHolds(CrmTestKit.Options(), _clock);
        var sync = new Mock<CrmSyncService>(MockBehavior.Strict, _store.Object, Array.Empty<ICrmConnector>(), holds, CrmTestKit.Options(), _clock,
            NullLogger<CrmSyncService>.Instance);
        _runner = new Mock<CrmSyncRunner>(MockBehavior.Strict, _activities.Object, _store.Object, sync.Object, holds, CrmTestKit.Leases().Object, CrmTestKit.Options(),
            NullLogger<CrmSyncRunner>.Instance, _warnings.Object);
        _salesforce.Setup(c => c.Provider).Returns(CrmProvider.Salesforce);
    }

    private CrmAdminService Service() =>
        new(_store.Object, [_salesforce.Object], _activities.Object, _runner.Object, StoreMocks.Audit(_audited).Object, CrmTestKit.Options(), _warnings.Object);

    private static CrmConnectionInput ValidSalesforce => new()
    {
        Provider = "salesforce", InstanceUrl = "https://acme.my.salesforce.com", ClientId = "key",
    };

    [Fact]
    public async Task GetAsync_Manager_Forbidden()
    {
        var result = await Service().GetAsync(Callers.Manager("org-a"));

        Assert.Equal(FailureKind.Forbidden, result.Failure!.Kind);
    }

    [Fact]
    public async Task UpdateAsync_ValidSetting_SavedAtCurrentVersionAndAudited()
    {
        const string version = "W/\"datetime'2025-03-14T15%3A00%3A00Z'\"";
        _store.Setup(s => s.GetAsync("org-a", It.IsAny<CancellationToken>())).ReturnsAsync(CrmConnection.NoneFor("org-a") with { Version = version });
        _store.Setup(s => s.SaveAsync(It.Is<CrmConnection>(c => c.OrgId == "org-a" && c.Provider == CrmProvider.Salesforce), version, It.IsAny<CancellationToken>()))
            .ReturnsAsync((CrmConnection c, string? _, CancellationToken _) => c with { Version = "next" });

        var result = await Service().UpdateAsync(Callers.Admin("org-a"), ValidSalesforce, null);

        Assert.Equal("crm-org-a-client-secret", result.Value!.ClientSecretName);
        Assert.Equal(["crm.updated"], _audited);
    }

    [Fact]
    public async Task UpdateAsync_MalformedIfMatch_StaleEditWithoutSaving()
    {
        _store.Setup(s => s.GetAsync("org-a", It.IsAny<CancellationToken>())).ReturnsAsync(CrmConnection.NoneFor("org-a"));

        var result = await Service().UpdateAsync(Callers.Admin("org-a"), ValidSalesforce, "\"garbage\"");

        Assert.Equal(FailureKind.PreconditionFailed, result.Failure!.Kind);
        Assert.Empty(_audited);
    }

    [Fact]
    public async Task TestAsync_NoCrmChosen_400OnProvider()
    {
        _store.Setup(s => s.GetAsync("org-a", It.IsAny<CancellationToken>())).ReturnsAsync(CrmConnection.NoneFor("org-a"));

        var result = await Service().TestAsync(Callers.Admin("org-a"));

        Assert.Equal(("crm-not-configured", "provider"), (result.Failure!.Code, result.Failure.Field));
    }

    [Fact]
    public async Task TestAsync_Salesforce_ReportsTheConnectorsAnswer()
    {
        var connection = CrmTestKit.Salesforce("org-a", "https://acme.my.salesforce.com");
        _store.Setup(s => s.GetAsync("org-a", It.IsAny<CancellationToken>())).ReturnsAsync(connection);
        _salesforce.Setup(c => c.TestAsync(connection, It.IsAny<CancellationToken>()))
            .ReturnsAsync(new CrmConnectionTest(false, CrmProvider.Salesforce, "Sign-in to the CRM failed: 400 invalid_client (trace 0af7)"));

        var result = await Service().TestAsync(Callers.Admin("org-a"));

        Assert.Equal("Sign-in to the CRM failed: 400 invalid_client (trace 0af7)", result.Value!.Message);
        Assert.Equal(["crm.tested"], _audited);
    }

    [Fact]
    public async Task TestAsync_Manager_ForbiddenAndNotAudited()
    {
        var result = await Service().TestAsync(Callers.Manager("org-a"));

        Assert.Equal(FailureKind.Forbidden, result.Failure!.Kind);
        Assert.Empty(_audited);
    }

    [Fact]
    public async Task UpdateAsync_ExfiltrationAttempt_400NothingSavedNothingAudited()
    {
        var input = ValidSalesforce with { ClientSecretName = "twilio-auth-token", InstanceUrl = "https://attacker.example" };

        var result = await Service().UpdateAsync(Callers.Admin("org-a"), input, null);

        Assert.Equal((FailureKind.Invalid, "instanceUrl"), (result.Failure!.Kind, result.Failure.Field));
        Assert.Empty(_audited);
        _store.Verify(s => s.SaveAsync(It.IsAny<CrmConnection>(), It.IsAny<string?>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task UpdateAsync_LoopbackStubWhenOptionsAllowIt_Saved()
    {
        _store.Setup(s => s.GetAsync("org-a", It.IsAny<CancellationToken>())).ReturnsAsync(CrmConnection.NoneFor("org-a"));
        _store.Setup(s => s.SaveAsync(It.IsAny<CrmConnection>(), null, It.IsAny<CancellationToken>()))
            .ReturnsAsync((CrmConnection c, string? _, CancellationToken _) => c with { Version = "v1" });

        var result = await Service().UpdateAsync(Callers.Admin("org-a"), ValidSalesforce with { InstanceUrl = "http://127.0.0.1:5123" }, null);

        Assert.Equal("http://127.0.0.1:5123", result.Value!.InstanceUrl);
    }

    [Fact]
    public async Task UpdateAsync_LoopbackStubOutsideDevelopment_400OnInstanceUrl()
    {
        var service = new CrmAdminService(_store.Object, [_salesforce.Object], _activities.Object, _runner.Object,
            StoreMocks.Audit(_audited).Object, CrmTestKit.Options(o => o.AllowLoopbackHttp = false), _warnings.Object);

        var result = await service.UpdateAsync(Callers.Admin("org-a"), ValidSalesforce with { InstanceUrl = "http://127.0.0.1:5123" }, null);

        Assert.Equal("instanceUrl", result.Failure!.Field);
    }

    [Fact]
    public async Task ListFailuresAsync_SyncFailedActivities_WithTheCrmMessage()
    {
        var failed = CrmTestKit.Ended("org-a", CrmTestKit.Sid(1)).MarkCrmSyncFailed("INVALID_CROSS_REFERENCE_KEY: bad WhoId");
        _activities.Setup(a => a.ListByCrmSyncAsync("org-a", CrmSyncState.SyncFailed, 200, It.IsAny<CancellationToken>()))
            .ReturnsAsync([new StoredActivity(failed, "v1")]);
        var warning = new CrmSyncFailure(CrmTestKit.Sid(2), "rep-1", "+15005550006", null, CrmWhoCheck.NotLinked("003000000000009AAA"), 0)
        {
            Kind = CrmSyncFailure.WarningKind,
        };
        _warnings.Setup(w => w.ListAsync("org-a", 200, It.IsAny<CancellationToken>())).ReturnsAsync([warning]);

        var result = await Service().ListFailuresAsync(Callers.Admin("org-a"));

        Assert.Equal(2, result.Value!.Count);
        var item = result.Value[0];
        Assert.Equal((CrmTestKit.Sid(1), "INVALID_CROSS_REFERENCE_KEY: bad WhoId", 1, "sync-failed"), (item.CallSid, item.Message, item.Attempts, item.Kind));
        Assert.Equal(warning, result.Value[1]);
    }

    [Fact]
    public async Task RetryAsync_ChosenCalls_FailedOnesResetToPendingAndSyncedNow()
    {
        var failed = CrmTestKit.Ended("org-a", CrmTestKit.Sid(1)).MarkCrmSyncFailed("UNKNOWN_EXCEPTION");
        var synced = CrmTestKit.Ended("org-a", CrmTestKit.Sid(2)).MarkCrmSynced();
        _activities.Setup(a => a.GetAsync(failed.Key, It.IsAny<CancellationToken>())).ReturnsAsync(new StoredActivity(failed, "v1"));
        _activities.Setup(a => a.GetAsync(synced.Key, It.IsAny<CancellationToken>())).ReturnsAsync(new StoredActivity(synced, "v9"));
        var pending = failed with { CrmSync = CrmSyncState.Pending, CrmSyncMessage = null, CrmSyncAttempts = 0 };
        _activities.Setup(a => a.TryReplaceAsync(pending, "v1", It.IsAny<CancellationToken>())).ReturnsAsync("v2");
        _runner.Setup(r => r.SyncAndStoreAsync(
                It.Is<IReadOnlyList<StoredActivity>>(l => l.Single() == new StoredActivity(pending, "v2")), It.IsAny<CancellationToken>()))
            .ReturnsAsync([CrmSyncOutcome.Synced(failed.Key, "00T1")]);

        var result = await Service().RetryAsync(Callers.Admin("org-a"), [CrmTestKit.Sid(1), CrmTestKit.Sid(2)]);

        Assert.Equal(CrmSyncResult.Synced, Assert.Single(result.Value!.Outcomes).Result);
        Assert.Equal([CrmTestKit.Sid(2)], result.Value.NotFailed);
        Assert.Equal(["crm.retried"], _audited);
    }

    [Fact]
    public async Task RetryAsync_TooManyCalls_400OnCallSids()
    {
        var result = await Service().RetryAsync(Callers.Admin("org-a"), Enumerable.Range(0, 201).Select(CrmTestKit.Sid).ToList());

        Assert.Equal("callSids", result.Failure!.Field);
        Assert.Empty(_audited);
    }
}
