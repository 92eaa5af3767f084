using Azure.Data.Tables;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Moq;
using Playbooks.Calling.Activity;
using Playbooks.Calling.CallEvents;
using Playbooks.Calling.Calls;
using Playbooks.Calling.Identity;
using Playbooks.Calling.Orgs;
using Playbooks.Calling.People;
using Playbooks.Calling.Storage;
using Playbooks.Calling.Teams;
using Playbooks.Calling.Tests.CallEvents;
using Playbooks.Calling.Tests.OrgDirectory;

namespace Playbooks.Calling.Tests.Activity;

public class DispositionServiceTests
{
    private readonly Mock<ActivityStore> store = new(MockBehavior.Strict, new TableServiceClient("UseDevelopmentStorage=true"), TimeProvider.System);
    private readonly Mock<CallLedger> ledger = new(MockBehavior.Strict, new TableServiceClient("UseDevelopmentStorage=true"));
    private readonly Mock<IActivityObserver> observer = new(MockBehavior.Strict);
    private readonly Mock<ICallEventPublisher> publisher = new(MockBehavior.Strict);
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero));
    private readonly CallEvents events = new();

    private static Caller Owner => new(CallEvents.OrgId, CallEvents.UserId, "Ana", new HashSet<string> { AppRoles.Rep });

    private static ActivityKey Key => new(CallEvents.OrgId, CallEvents.AgentSid);

    private DispositionService Service() =>
        new(store.Object, ledger.Object, observer.Object, publisher.Object, time, NullLogger<DispositionService>.Instance);

    /// <summary>The store applies changes to <paramref name="stored"/> as it would to the table row.</summary>
    private void Stored(CallActivity? stored)
    {
        store.Setup(s => s.GetAsync(Key, It.IsAny<CancellationToken>())).ReturnsAsync(stored);
        store.Setup(s => s.UpdateAsync(Key, It.IsAny<Func<CallActivity?, CallActivity>>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((ActivityKey _, Func<CallActivity?, CallActivity> change, CancellationToken _) => new ActivityChange(stored, change(stored)));
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
}
