using Azure;
using Moq;
using Playbooks.Calling.Audit;
using Playbooks.Calling.Storage;
using Playbooks.Calling.Tests.OrgDirectory;

namespace Playbooks.Calling.Tests.Audit;

public class AuditServiceTests
{
    private readonly Mock<AuditStore> store = StoreMocks.Of<AuditStore>();

    [Fact]
    public async Task List_Manager_Returns403()
    {
        var service = new AuditService(store.Object, TimeProvider.System);

        var result = await service.ListAsync(Callers.Manager("org-1"), PageRequest.First);

        Assert.Equal(FailureKind.Forbidden, result.Failure!.Kind);
    }

    [Fact]
    public async Task List_BadContinuationToken_Returns400()
    {
        var service = new AuditService(store.Object, TimeProvider.System);

        var result = await service.ListAsync(Callers.Admin("org-1"), new PageRequest(10, "***"));

        Assert.Equal("continuationToken", result.Failure!.Field);
    }

    [Fact]
    public async Task Record_Change_WritesWhoWhatBeforeAfterAndWhen()
    {
        // Arrange
        AuditEntry? written = null;
        store.Setup(s => s.AppendAsync(It.IsAny<AuditEntry>(), It.IsAny<CancellationToken>()))
            .Callback((AuditEntry e, CancellationToken _) => written = e)
            .Returns(Task.CompletedTask);
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero));
        var service = new AuditService(store.Object, clock);

        // Act
        await service.RecordAsync(Callers.Admin("org-1"), "org-1", "person.updated", "person", "rep-1", new { team = "east" }, new { team = "west" });

        // Assert
        Assert.NotNull(written);
        Assert.Equal("admin-1", written.ActorUserId);
        Assert.Equal("Ada Admin", written.ActorDisplayName);
        Assert.Equal("person.updated", written.Action);
        Assert.Equal("rep-1", written.TargetId);
        Assert.Equal("""{"team":"east"}""", written.Before);
        Assert.Equal("""{"team":"west"}""", written.After);
        Assert.Equal(clock.GetUtcNow(), written.At);
    }

    [Fact]
    public async Task RecordChange_AuditWriteFails_Returns503AndDoesNotApplyTheChange()
    {
        // Arrange
        store.Setup(s => s.AppendAsync(It.IsAny<AuditEntry>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new RequestFailedException(500, "Storage is down"));
        var applied = false;
        var service = new AuditService(store.Object, TimeProvider.System);

        // Act
        var result = await service.RecordChangeAsync(Callers.Admin("org-1"), "org-1", "org.updated", "org", "org-1", new { a = 1 }, new { a = 2 },
            () => { applied = true; return Task.FromResult<Result<int>>(1); });

        // Assert
        Assert.Equal(FailureKind.Unavailable, result.Failure!.Kind);
        Assert.Equal("audit-unavailable", result.Failure.Code);
        Assert.False(applied);
    }

    [Fact]
    public async Task RecordChange_ChangeRefused_MarksTheEntryNotAppliedWithTheRefusalCode()
    {
        // Arrange
        var sequence = new List<string>();
        AuditEntry? pending = null;
        store.Setup(s => s.AppendAsync(It.IsAny<AuditEntry>(), It.IsAny<CancellationToken>()))
            .Callback((AuditEntry e, CancellationToken _) => { pending = e; sequence.Add("append"); })
            .Returns(Task.CompletedTask);
        store.Setup(s => s.MarkAsync("org-1", It.IsAny<string>(), AuditStates.NotApplied, "stale-edit", It.IsAny<CancellationToken>()))
            .Callback(() => sequence.Add("mark"))
            .Returns(Task.CompletedTask);
        var service = new AuditService(store.Object, TimeProvider.System);

        // Act
        var result = await service.RecordChangeAsync(Callers.Admin("org-1"), "org-1", "person.updated", "person", "rep-1", new { team = "east" }, new { team = "west" },
            () => { sequence.Add("apply"); return Task.FromResult<Result<int>>(Failure.StaleEdit("Rep")); });

        // Assert
        Assert.Equal("stale-edit", result.Failure!.Code);
        Assert.Equal(["append", "apply", "mark"], sequence);
        Assert.Equal(AuditStates.Pending, pending!.State);
        Assert.Equal("""{"team":"west"}""", pending.After);
        store.Verify(s => s.MarkAsync("org-1", pending.Id, AuditStates.NotApplied, "stale-edit", It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task RecordChange_ChangeApplied_WritesPendingFirstThenMarksApplied()
    {
        // Arrange
        var sequence = new List<string>();
        string? entryId = null;
        store.Setup(s => s.AppendAsync(It.Is<AuditEntry>(e => e.State == AuditStates.Pending), It.IsAny<CancellationToken>()))
            .Callback((AuditEntry e, CancellationToken _) => { entryId = e.Id; sequence.Add("append"); })
            .Returns(Task.CompletedTask);
        store.Setup(s => s.MarkAsync("org-1", It.IsAny<string>(), AuditStates.Applied, null, It.IsAny<CancellationToken>()))
            .Callback((string _, string id, string _, string? _, CancellationToken _) => sequence.Add("mark " + (id == entryId)))
            .Returns(Task.CompletedTask);
        var service = new AuditService(store.Object, TimeProvider.System);

        // Act
        var result = await service.RecordChangeAsync(Callers.Admin("org-1"), "org-1", "org.updated", "org", "org-1", null, new { a = 2 },
            () => { sequence.Add("apply"); return Task.FromResult<Result<int>>(42); });

        // Assert
        Assert.Equal(42, result.Value);
        Assert.Equal(["append", "apply", "mark True"], sequence);
    }

    [Fact]
    public async Task RecordChange_MarkingFails_StillReturnsTheAppliedChange()
    {
        // Arrange
        store.Setup(s => s.AppendAsync(It.IsAny<AuditEntry>(), It.IsAny<CancellationToken>())).Returns(Task.CompletedTask);
        store.Setup(s => s.MarkAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<string>(), It.IsAny<string?>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new RequestFailedException(503, "busy"));
        var service = new AuditService(store.Object, TimeProvider.System);

        // Act
        var result = await service.RecordChangeAsync(Callers.Admin("org-1"), "org-1", "org.updated", "org", "org-1", null, new { a = 2 },
            () => Task.FromResult<Result<string>>("saved"));

        // Assert
        Assert.Equal("saved", result.Value);
    }

    [Fact]
    public async Task RecordChange_AfterOverTheTablePropertyLimit_Returns400ChangeTooLargeAndWritesNothing()
    {
        // Arrange
        var applied = false;
        var service = new AuditService(store.Object, TimeProvider.System);
        var huge = new { tenantId = new string('t', 32_700) };

        // Act
        var result = await service.RecordChangeAsync(Callers.Admin("org-1"), "org-1", "crm.updated", "crm", "org-1", null, huge,
            () => { applied = true; return Task.FromResult<Result<int>>(1); });

        // Assert
        Assert.Equal(FailureKind.Invalid, result.Failure!.Kind);
        Assert.Equal("change-too-large", result.Failure.Code);
        Assert.False(applied);
        store.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task Record_OversizedEvent_IsCutToFitTheTablePropertyLimit()
    {
        // Arrange
        AuditEntry? written = null;
        store.Setup(s => s.AppendAsync(It.IsAny<AuditEntry>(), It.IsAny<CancellationToken>()))
            .Callback((AuditEntry e, CancellationToken _) => written = e)
            .Returns(Task.CompletedTask);
        var service = new AuditService(store.Object, TimeProvider.System);

        // Act
        await service.RecordAsync(Callers.Admin("org-1"), "org-1", "crm.tested", "crm", "org-1", null, new { message = new string('m', 40_000) });

        // Assert
        Assert.Equal(AuditService.MaxSnapshotLength, written!.After!.Length);
        Assert.Equal(AuditStates.Applied, written.State);
    }

    [Fact]
    public async Task RecordChange_StorageRefusesTheChangeAsTooLarge_Returns400AndMarksTheEntryNotApplied()
    {
        // Arrange
        store.Setup(s => s.AppendAsync(It.IsAny<AuditEntry>(), It.IsAny<CancellationToken>())).Returns(Task.CompletedTask);
        store.Setup(s => s.MarkAsync("org-1", It.IsAny<string>(), AuditStates.NotApplied, "PropertyValueTooLarge", It.IsAny<CancellationToken>()))
            .Returns(Task.CompletedTask);
        var service = new AuditService(store.Object, TimeProvider.System);

        // Act
        var result = await service.RecordChangeAsync<int>(Callers.Admin("org-1"), "org-1", "crm.updated", "crm", "org-1", null, new { a = 1 },
            () => throw new RequestFailedException(400, "The property value exceeds the maximum allowed size (64KB).", "PropertyValueTooLarge", null));

        // Assert
        Assert.Equal(FailureKind.Invalid, result.Failure!.Kind);
        Assert.Equal("change-too-large", result.Failure.Code);
        store.Verify(s => s.MarkAsync("org-1", It.IsAny<string>(), AuditStates.NotApplied, "PropertyValueTooLarge", It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task Record_SupportActor_WritesActorTenant()
    {
        // Arrange
        AuditEntry? written = null;
        store.Setup(s => s.AppendAsync(It.IsAny<AuditEntry>(), It.IsAny<CancellationToken>()))
            .Callback((AuditEntry e, CancellationToken _) => written = e)
            .Returns(Task.CompletedTask);
        var support = Callers.Support() with { TenantId = "7f000000-0000-4000-8000-00000000000a" };

        // Act
        await new AuditService(store.Object, TimeProvider.System).RecordAsync(support, "org-1", "org.read-by-support", "org", "org-1", null, null);

        // Assert
        Assert.Equal("7f000000-0000-4000-8000-00000000000a", written!.ActorTenantId);
    }

    [Fact]
    public async Task Record_OrgUser_LeavesActorTenantEmpty()
    {
        // Arrange
        AuditEntry? written = null;
        store.Setup(s => s.AppendAsync(It.IsAny<AuditEntry>(), It.IsAny<CancellationToken>()))
            .Callback((AuditEntry e, CancellationToken _) => written = e)
            .Returns(Task.CompletedTask);
        var admin = Callers.Admin("org-1") with { TenantId = "7f000000-0000-4000-8000-00000000000b" };

        // Act
        await new AuditService(store.Object, TimeProvider.System).RecordAsync(admin, "org-1", "person.updated", "person", "rep-1", null, null);

        // Assert
        Assert.Null(written!.ActorTenantId);
    }
}
