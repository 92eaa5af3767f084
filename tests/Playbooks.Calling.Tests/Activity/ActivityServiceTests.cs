using Azure.Data.Tables;
using Microsoft.Extensions.Logging.Abstractions;
using Moq;
using Playbooks.Calling.Activity;
using Playbooks.Calling.Orgs;
using Playbooks.Calling.Calls;
using Playbooks.Calling.CallEvents;
using Playbooks.Calling.Identity;
using Playbooks.Calling.OrgDirectory;
using Playbooks.Calling.People;
using Playbooks.Calling.Teams;
using Playbooks.Calling.Tests.CallEvents;
using Playbooks.Calling.Tests.OrgDirectory;

namespace Playbooks.Calling.Tests.Activity;

public class ActivityServiceTests
{
    private readonly Mock<ActivityStore> store = new(MockBehavior.Strict, new TableServiceClient("UseDevelopmentStorage=true"), TimeProvider.System);
    private readonly Mock<ManagementScopes> scopes = new(MockBehavior.Strict, StoreMocks.Of<TeamStore>().Object);
    private readonly Mock<PersonStore> people = StoreMocks.Of<PersonStore>();
    private readonly Mock<CallLedger> ledger = new(MockBehavior.Strict, new TableServiceClient("UseDevelopmentStorage=true"));
    private readonly Mock<IActivityObserver> observer = new(MockBehavior.Strict);
    private readonly Mock<ICallEventPublisher> publisher = new(MockBehavior.Strict);
    private readonly FakeTimeProvider time = new();
    private readonly CallEvents events = new();

    private static Caller Owner => new(CallEvents.OrgId, CallEvents.UserId, "Ana", new HashSet<string> { AppRoles.Rep });

    private static ActivityKey Key => new(CallEvents.OrgId, CallEvents.AgentSid);

    private ActivityService Service() =>
        new(store.Object, scopes.Object, people.Object, ledger.Object, observer.Object, publisher.Object, time, NullLogger<ActivityService>.Instance);

    /// <summary>The store applies changes to <paramref name="stored"/> as it would to the table row.</summary>
    private void Stored(CallActivity? stored)
    {
        store.Setup(s => s.GetAsync(Key, It.IsAny<CancellationToken>())).ReturnsAsync(stored);
        store.Setup(s => s.UpdateAsync(Key, It.IsAny<Func<CallActivity?, CallActivity>>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((ActivityKey _, Func<CallActivity?, CallActivity> change, CancellationToken _) => new ActivityChange(stored, change(stored)));
    }

    [Fact]
    public async Task ApplyAsync_AgentLegStatus_WritesNothing()
    {
        var result = await Service().ApplyAsync(events.AgentStatus(CallStatus.Ringing, 1, 1));

        Assert.Null(result);
        store.VerifyNoOtherCalls();
        observer.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task ApplyAsync_ProspectStatus_SavesMergeAndRunsCrmStep()
    {
        // Arrange
        var e = events.Status(CallStatus.Completed, 3, 40, 31);
        Stored(null);
        observer.Setup(o => o.OnMergedAsync(It.IsAny<ActivityChange>(), It.IsAny<CancellationToken>())).Returns(Task.CompletedTask);

        // Act
        var result = await Service().ApplyAsync(e);

        // Assert
        Assert.Equal(CallOutcome.Connected, result!.Outcome);
        Assert.Equal(31, result.DurationSeconds);
        observer.Verify(o => o.OnMergedAsync(It.Is<ActivityChange>(c => c.Previous == null && c.Current == result), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task ApplyAsync_CrmStepFails_Throws()
    {
        Stored(null);
        observer.Setup(o => o.OnMergedAsync(It.IsAny<ActivityChange>(), It.IsAny<CancellationToken>())).ThrowsAsync(new HttpRequestException("CRM down"));

        await Assert.ThrowsAsync<HttpRequestException>(() => Service().ApplyAsync(events.Status(CallStatus.Ringing, 1, 3)));
    }

    [Fact]
    public async Task SetDispositionAsync_OwnCall_MergesDispositionAndNotes()
    {
        // Arrange
        Stored(CallEvents.MergeAll([events.Status(CallStatus.Completed, 3, 40, 31)]));
        observer.Setup(o => o.OnMergedAsync(It.IsAny<ActivityChange>(), It.IsAny<CancellationToken>())).Returns(Task.CompletedTask);

        // Act
        var result = await Service().SetDispositionAsync(Owner, CallEvents.AgentSid, new DispositionInput("meeting-booked", "Demo on Friday"));

        // Assert
        Assert.True(result.IsSuccess);
        Assert.Equal("meeting-booked", result.Value!.Disposition);
        Assert.Equal("Demo on Friday", result.Value.Notes);
        Assert.Equal(time.GetUtcNow(), result.Value.DispositionUpdatedAt);
        Assert.Equal(CallOutcome.Connected, result.Value.Outcome);
    }

    [Fact]
    public async Task SetDispositionAsync_SomeoneElsesCall_ReturnsNotFound()
    {
        Stored(CallEvents.MergeAll([events.Status(CallStatus.Completed, 3, 40, 31)]));
        var colleague = Owner with { UserId = "user-bo" };

        var result = await Service().SetDispositionAsync(colleague, CallEvents.AgentSid, new DispositionInput("busy", null));

        Assert.Equal(FailureKind.NotFound, result.Failure!.Kind);
        store.Verify(s => s.UpdateAsync(It.IsAny<ActivityKey>(), It.IsAny<Func<CallActivity?, CallActivity>>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task SetDispositionAsync_NoSuchCall_ReturnsNotFound()
    {
        Stored(null);
        Ledger(null);

        var result = await Service().SetDispositionAsync(Owner, CallEvents.AgentSid, new DispositionInput("busy", null));

        Assert.Equal(FailureKind.NotFound, result.Failure!.Kind);
    }

    [Fact]
    public async Task SetDispositionAsync_OwnCallBeforeAnyCallback_SavedFromTheLedgersOwner()
    {
        // Arrange: the call ended before its first status callback was written, so there is no activity yet.
        Stored(null);
        Ledger(new CallRecord(CallEvents.OrgId, CallEvents.AgentSid, CallEvents.UserId, CallingMethod.Computer, "+12015550101", time.GetUtcNow()));
        observer.Setup(o => o.OnMergedAsync(It.IsAny<ActivityChange>(), It.IsAny<CancellationToken>())).Returns(Task.CompletedTask);

        // Act
        var result = await Service().SetDispositionAsync(Owner, CallEvents.AgentSid, new DispositionInput("busy", null));

        // Assert
        Assert.True(result.IsSuccess);
        Assert.Equal("busy", result.Value!.Disposition);
    }

    [Fact]
    public async Task SetDispositionAsync_SomeoneElsesCallBeforeAnyCallback_ReturnsNotFound()
    {
        Stored(null);
        Ledger(new CallRecord(CallEvents.OrgId, CallEvents.AgentSid, "user-bo", CallingMethod.Computer, "+12015550101", time.GetUtcNow()));

        var result = await Service().SetDispositionAsync(Owner, CallEvents.AgentSid, new DispositionInput("busy", null));

        Assert.Equal(FailureKind.NotFound, result.Failure!.Kind);
    }

    private void Ledger(CallRecord? record) =>
        ledger.Setup(l => l.GetAsync(CallEvents.OrgId, CallEvents.AgentSid, It.IsAny<CancellationToken>())).ReturnsAsync(record);

    [Fact]
    public async Task SetDispositionAsync_NotesOverLimit_Returns400Notes()
    {
        var result = await Service().SetDispositionAsync(Owner, CallEvents.AgentSid, new DispositionInput("busy", new string('x', 2001)));

        Assert.Equal(FailureKind.Invalid, result.Failure!.Kind);
        Assert.Equal("notes", result.Failure.Field);
        store.VerifyNoOtherCalls();
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Connected")]
    [InlineData("sold-a-yacht")]
    public async Task SetDispositionAsync_UnknownDisposition_Returns400Disposition(string? disposition)
    {
        var result = await Service().SetDispositionAsync(Owner, CallEvents.AgentSid, new DispositionInput(disposition, null));

        Assert.Equal("disposition", result.Failure!.Field);
    }

    [Fact]
    public async Task SetDispositionAsync_CrmStepFails_StillSavedAndQueuedForRetry()
    {
        // Arrange
        Stored(CallEvents.MergeAll([events.Status(CallStatus.Completed, 3, 40, 31)]));
        observer.Setup(o => o.OnMergedAsync(It.IsAny<ActivityChange>(), It.IsAny<CancellationToken>())).ThrowsAsync(new HttpRequestException("CRM down"));
        CallEventMessage? queued = null;
        publisher.Setup(p => p.PublishAsync(It.IsAny<CallEventMessage>(), It.IsAny<CancellationToken>()))
            .Callback((CallEventMessage m, CancellationToken _) => queued = m)
            .Returns(Task.CompletedTask);

        // Act
        var result = await Service().SetDispositionAsync(Owner, CallEvents.AgentSid, new DispositionInput("follow-up", "Call back"));

        // Assert
        Assert.Equal("follow-up", result.Value!.Disposition);
        Assert.Equal(CallEventKind.Disposition, queued!.Kind);
        Assert.Equal("follow-up", queued.Disposition);
    }

    [Theory]
    [InlineData("method", "tablet", null, null, null)]
    [InlineData("outcome", null, "ok", null, null)]
    [InlineData("from", null, null, "yesterday", null)]
    [InlineData("to", null, null, null, "31/12/2026")]
    [InlineData("from", null, null, "2026-12-02", "2026-12-01")]
    [InlineData("to", null, null, null, "0001-01-01")]
    [InlineData("from", null, null, "0001-01-01", null)]
    [InlineData("from", null, null, "1999-12-31T23:59:59Z", null)]
    [InlineData("from", null, null, "9999-12-31", null)]
    [InlineData("to", null, null, null, "9999-12-31T23:59:59.9999999Z")]
    [InlineData("to", null, null, "2026-01-01", "2100-01-01")]
    public async Task ListAsync_BadFilter_Returns400WithField(string field, string? method, string? outcome, string? from, string? to)
    {
        var admin = Callers.Admin(CallEvents.OrgId);
        scopes.Setup(s => s.ForAsync(admin, It.IsAny<CancellationToken>())).ReturnsAsync(new ManagementScope(true, new HashSet<string>()));

        var result = await Service().ListAsync(admin, new ActivityFilter(null, method, outcome, from, to), PageRequest.First);

        Assert.Equal(FailureKind.Invalid, result.Failure!.Kind);
        Assert.Equal(field, result.Failure.Field);
    }

    [Fact]
    public async Task ListAsync_Rep_Returns403()
    {
        var rep = Callers.Rep(CallEvents.OrgId);
        scopes.Setup(s => s.ForAsync(rep, It.IsAny<CancellationToken>()))
            .ReturnsAsync(Failure.Forbidden("requires-manager-or-admin", "no"));

        var result = await Service().ListAsync(rep, new ActivityFilter(), PageRequest.First);

        Assert.Equal(FailureKind.Forbidden, result.Failure!.Kind);
    }

    [Fact]
    public async Task ListAsync_ManagerAsksForRepOutsideTheirTeams_QueriesNobody()
    {
        // Arrange
        var manager = Callers.Manager(CallEvents.OrgId);
        scopes.Setup(s => s.ForAsync(manager, It.IsAny<CancellationToken>())).ReturnsAsync(new ManagementScope(false, new HashSet<string> { "east" }));
        people.Setup(p => p.ListAsync(CallEvents.OrgId, It.IsAny<PeopleFilter>(), It.IsAny<PageRequest>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new PagedList<Person>([new Person { OrgId = CallEvents.OrgId, UserId = "rep-east", DisplayName = "E" }], null));
        ActivityQuery? asked = null;
        store.Setup(s => s.ListAsync(CallEvents.OrgId, It.IsAny<ActivityQuery>(), It.IsAny<PageRequest>(), It.IsAny<CancellationToken>()))
            .Callback((string _, ActivityQuery q, PageRequest _, CancellationToken _) => asked = q)
            .ReturnsAsync(new PagedList<CallActivity>([], null));

        // Act
        await Service().ListAsync(manager, new ActivityFilter(UserId: "rep-west"), PageRequest.First);

        // Assert
        Assert.Empty(asked!.UserIds!);
    }
}
