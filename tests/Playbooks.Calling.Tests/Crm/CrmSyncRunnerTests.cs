using Microsoft.Extensions.Logging.Abstractions;
using Moq;
using Playbooks.Calling.Activity;
using Playbooks.Calling.Crm;
using Playbooks.Calling.Tests.OrgDirectory;

namespace Playbooks.Calling.Tests.Crm;

public sealed class CrmSyncRunnerTests
{
    private readonly FakeTimeProvider _clock = new(CrmTestKit.Start);
    private readonly Mock<IActivityRepository> _activities = new(MockBehavior.Strict);
    private readonly Mock<CrmConnectionStore> _connections = StoreMocks.Of<CrmConnectionStore>();
    private readonly Mock<CrmSyncService> _sync;
    private readonly CrmOrgHolds _holds;
    private readonly Mock<CrmSyncWarnings> _warnings = CrmTestKit.Warnings();
    private readonly Mock<CrmSyncLeases> _leases = CrmTestKit.Leases();

    public CrmSyncRunnerTests()
    {
        _holds = new CrmOrgHolds(CrmTestKit.Options(), _clock);
        _sync = new Mock<CrmSyncService>(MockBehavior.Strict, _connections.Object, Array.Empty<ICrmConnector>(), _holds,
            CrmTestKit.Options(), _clock, NullLogger<CrmSyncService>.Instance);
    }

    private CrmSyncRunner Runner() =>
        new(_activities.Object, _connections.Object, _sync.Object, _holds, _leases.Object, CrmTestKit.Options(o => o.MaxAttempts = 3), NullLogger<CrmSyncRunner>.Instance,
            _warnings.Object);

    private void GivenPending(string orgId, params StoredActivity[] stored) =>
        _activities.Setup(a => a.ListByCrmSyncAsync(orgId, CrmSyncState.Pending, 1000, It.IsAny<CancellationToken>())).ReturnsAsync(stored);

    [Fact]
    public async Task SyncOrgAsync_Outcomes_StoresSyncedAndFailedAtTheVersionRead()
    {
        var a = CrmTestKit.Ended("org-a", CrmTestKit.Sid(1));
        var b = CrmTestKit.Ended("org-a", CrmTestKit.Sid(2));
        var ringing = CrmTestKit.Ended("org-a", CrmTestKit.Sid(3)) with { Status = CallStatus.Ringing };
        GivenPending("org-a", new(a, "v-a"), new(b, "v-b"), new(ringing, "v-r"));
        _sync.Setup(s => s.SyncAsync(It.Is<IReadOnlyList<CallActivity>>(due => due.SequenceEqual(new[] { a, b })), It.IsAny<CancellationToken>()))
            .ReturnsAsync([CrmSyncOutcome.Synced(a.Key, "00T1"), CrmSyncOutcome.Failed(b.Key, "INVALID_FIELD: WhoId")]);
        var saved = new List<(CallActivity Activity, string Version)>();
        _activities.Setup(r => r.TryReplaceAsync(It.IsAny<CallActivity>(), It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .Callback((CallActivity activity, string version, CancellationToken _) => saved.Add((activity, version)))
            .ReturnsAsync("v-next");

        await Runner().SyncOrgAsync("org-a", CancellationToken.None);

        Assert.Equal(2, saved.Count);
        Assert.Equal((CrmSyncState.Synced, "v-a"), (saved[0].Activity.CrmSync, saved[0].Version));
        Assert.Equal((CrmSyncState.SyncFailed, "INVALID_FIELD: WhoId", "v-b"), (saved[1].Activity.CrmSync, saved[1].Activity.CrmSyncMessage, saved[1].Version));
    }

    [Fact]
    public async Task SyncOrgAsync_OrgWaitingOutRetryAfter_ReadsNothing()
    {
        _leases.Setup(l => l.TryAcquireAsync("org-a", It.IsAny<CancellationToken>()))
            .ReturnsAsync(CrmLeaseAttempt.Held(CrmTestKit.Start.AddMinutes(2)));

        var outcomes = await Runner().SyncOrgAsync("org-a", CancellationToken.None);

        Assert.Empty(outcomes);
    }

    [Fact]
    public async Task SyncOrgAsync_AnotherWriterHoldsTheLease_ReadsNothing()
    {
        _leases.Setup(l => l.TryAcquireAsync("org-a", It.IsAny<CancellationToken>()))
            .ReturnsAsync(CrmLeaseAttempt.Busy(CrmTestKit.Start.AddMinutes(10)));

        var outcomes = await Runner().SyncOrgAsync("org-a", CancellationToken.None);

        Assert.Empty(outcomes);
        _leases.Verify(l => l.ReleaseAsync(It.IsAny<CrmLease>(), It.IsAny<CrmHold>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task SyncOrgAsync_HoldStoredByAnotherInstance_HonouredByTheSyncAndGivenBackWithTheLease()
    {
        var held = new CrmHold(CrmTestKit.Start.AddMinutes(1), 2);
        _leases.Setup(l => l.TryAcquireAsync("org-a", It.IsAny<CancellationToken>()))
            .ReturnsAsync(new CrmLeaseAttempt(new CrmLease("org-a", "lease-v1", CrmTestKit.Start.AddMinutes(10), held), null, null));
        CrmHold? released = null;
        _leases.Setup(l => l.ReleaseAsync(It.Is<CrmLease>(x => x.Version == "lease-v1"), It.IsAny<CrmHold>(), It.IsAny<CancellationToken>()))
            .Callback((CrmLease _, CrmHold hold, CancellationToken _) => released = hold)
            .Returns(Task.CompletedTask);
        var a = CrmTestKit.Ended("org-a", CrmTestKit.Sid(1));
        GivenPending("org-a", new StoredActivity(a, "v-a"));
        _sync.Setup(s => s.SyncAsync(It.IsAny<IReadOnlyList<CallActivity>>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(() => [CrmSyncOutcome.RetryLater(a.Key, "waiting", _holds.HeldUntil("org-a")) with { Attempted = false }]);

        var outcomes = await Runner().SyncOrgAsync("org-a", CancellationToken.None);

        Assert.Equal(CrmTestKit.Start.AddMinutes(1), Assert.Single(outcomes).NotBefore);
        Assert.Equal(held, released);
    }

    [Fact]
    public async Task SyncOrgAsync_ChangedMeanwhileButCrmShowsTheSame_OutcomeStoredOnFreshActivity()
    {
        var read = CrmTestKit.Ended("org-a", CrmTestKit.Sid(1));
        var fresh = read with { RecordingSid = "RE-other-sid" };
        GivenPending("org-a", new StoredActivity(read, "v1"));
        _sync.Setup(s => s.SyncAsync(It.IsAny<IReadOnlyList<CallActivity>>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync([CrmSyncOutcome.Synced(read.Key, "00T1")]);
        _activities.Setup(r => r.TryReplaceAsync(It.IsAny<CallActivity>(), "v1", It.IsAny<CancellationToken>())).ReturnsAsync((string?)null);
        _activities.Setup(r => r.GetAsync(read.Key, It.IsAny<CancellationToken>())).ReturnsAsync(new StoredActivity(fresh, "v2"));
        _activities.Setup(r => r.TryReplaceAsync(fresh.MarkCrmSynced(), "v2", It.IsAny<CancellationToken>())).ReturnsAsync("v3");

        await Runner().SyncOrgAsync("org-a", CancellationToken.None);

        _activities.Verify(r => r.TryReplaceAsync(fresh.MarkCrmSynced(), "v2", It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task SyncOrgAsync_NewRecordingArrivedMeanwhile_LeftPendingForNextRun()
    {
        var read = CrmTestKit.Ended("org-a", CrmTestKit.Sid(1));
        var fresh = read with { RecordingUrl = "https://example.test/new-recording" };
        GivenPending("org-a", new StoredActivity(read, "v1"));
        _sync.Setup(s => s.SyncAsync(It.IsAny<IReadOnlyList<CallActivity>>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync([CrmSyncOutcome.Synced(read.Key, "00T1")]);
        _activities.Setup(r => r.TryReplaceAsync(It.IsAny<CallActivity>(), "v1", It.IsAny<CancellationToken>())).ReturnsAsync((string?)null);
        _activities.Setup(r => r.GetAsync(read.Key, It.IsAny<CancellationToken>())).ReturnsAsync(new StoredActivity(fresh, "v2"));

        await Runner().SyncOrgAsync("org-a", CancellationToken.None);

        _activities.Verify(r => r.TryReplaceAsync(It.IsAny<CallActivity>(), "v2", It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task RunAsync_TwoConfiguredOrgs_EachSyncedAndOneFailingOrgDoesNotStopTheOther()
    {
        _connections.Setup(c => c.ListConfiguredAsync(It.IsAny<CancellationToken>()))
            .ReturnsAsync([CrmTestKit.Salesforce("org-a", "https://a.my.salesforce.com"), CrmTestKit.Salesforce("org-b", "https://b.my.salesforce.com")]);
        _activities.Setup(a => a.ListByCrmSyncAsync("org-a", CrmSyncState.Pending, 1000, It.IsAny<CancellationToken>()))
            .ThrowsAsync(new InvalidOperationException("table unavailable"));
        var b = CrmTestKit.Ended("org-b", CrmTestKit.Sid(2));
        GivenPending("org-b", new StoredActivity(b, "v-b"));
        _sync.Setup(s => s.SyncAsync(It.IsAny<IReadOnlyList<CallActivity>>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync([CrmSyncOutcome.Synced(b.Key, "00T2")]);
        _activities.Setup(r => r.TryReplaceAsync(b.MarkCrmSynced(), "v-b", It.IsAny<CancellationToken>())).ReturnsAsync("v-b2");

        var settled = await Runner().RunAsync(CancellationToken.None);

        Assert.Equal(1, settled);
    }

    [Fact]
    public void Apply_RetryLater_CountsTheAttemptAndStaysPending()
    {
        var activity = CrmTestKit.Ended("org-a", CrmTestKit.Sid(1));

        var next = CrmSyncRunner.Apply(activity, CrmSyncOutcome.RetryLater(activity.Key, "503 Service Unavailable", null), maxAttempts: 3);

        Assert.Equal((CrmSyncState.Pending, 1, "503 Service Unavailable"), (next!.CrmSync, next.CrmSyncAttempts, next.CrmSyncMessage));
    }

    [Fact]
    public void Apply_RetryLaterOnLastAttempt_SyncFailedForAdmins()
    {
        var activity = CrmTestKit.Ended("org-a", CrmTestKit.Sid(1)) with { CrmSyncAttempts = 2 };

        var next = CrmSyncRunner.Apply(activity, CrmSyncOutcome.RetryLater(activity.Key, "503 Service Unavailable", null), maxAttempts: 3);

        Assert.Equal(CrmSyncState.SyncFailed, next!.CrmSync);
        Assert.Equal("Gave up after 3 attempts: 503 Service Unavailable", next.CrmSyncMessage);
    }

    [Fact]
    public void Apply_NotAttemptedOrSkipped_NothingToStore()
    {
        var activity = CrmTestKit.Ended("org-a", CrmTestKit.Sid(1));

        Assert.Null(CrmSyncRunner.Apply(activity, CrmSyncOutcome.RetryLater(activity.Key, "waiting", null) with { Attempted = false }, 3));
        Assert.Null(CrmSyncRunner.Apply(activity, CrmSyncOutcome.Skipped(activity.Key, "no CRM"), 3));
    }

    [Fact]
    public async Task SyncOrgAsync_SyncedWithWarning_WarningStoredOnActivityAndListedForAdmins()
    {
        var a = CrmTestKit.Ended("org-a", CrmTestKit.Sid(1), crmWhoId: "003000000000009AAA");
        GivenPending("org-a", new StoredActivity(a, "v-a"));
        var warning = CrmWhoCheck.NotLinked("003000000000009AAA");
        _sync.Setup(s => s.SyncAsync(It.IsAny<IReadOnlyList<CallActivity>>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync([CrmSyncOutcome.Synced(a.Key, "00T1") with { Warning = warning }]);
        CallActivity? saved = null;
        _activities.Setup(r => r.TryReplaceAsync(It.IsAny<CallActivity>(), "v-a", It.IsAny<CancellationToken>()))
            .Callback((CallActivity activity, string _, CancellationToken _) => saved = activity)
            .ReturnsAsync("v-next");
        _warnings.Setup(w => w.RecordAsync(a, warning, It.IsAny<CancellationToken>())).Returns(Task.CompletedTask);

        await Runner().SyncOrgAsync("org-a", CancellationToken.None);

        Assert.Equal((CrmSyncState.Synced, warning), (saved!.CrmSync, saved.CrmSyncMessage));
        _warnings.Verify(w => w.RecordAsync(a, warning, It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task SyncOrgAsync_WhoIdLinkedThisTime_OldWarningCleared()
    {
        var a = CrmTestKit.Ended("org-a", CrmTestKit.Sid(1), crmWhoId: "003000000000001AAA");
        GivenPending("org-a", new StoredActivity(a, "v-a"));
        _sync.Setup(s => s.SyncAsync(It.IsAny<IReadOnlyList<CallActivity>>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync([CrmSyncOutcome.Synced(a.Key, "00T1")]);
        _activities.Setup(r => r.TryReplaceAsync(It.IsAny<CallActivity>(), "v-a", It.IsAny<CancellationToken>())).ReturnsAsync("v-next");
        _warnings.Setup(w => w.ClearAsync(a.Key, It.IsAny<CancellationToken>())).Returns(Task.CompletedTask);

        await Runner().SyncOrgAsync("org-a", CancellationToken.None);

        _warnings.Verify(w => w.ClearAsync(a.Key, It.IsAny<CancellationToken>()), Times.Once);
    }
}
