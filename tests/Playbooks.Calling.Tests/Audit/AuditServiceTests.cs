using Moq;
using Playbooks.Calling.Audit;
using Playbooks.Calling.OrgDirectory;
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
        var clock = new ManualTime(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero));
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
