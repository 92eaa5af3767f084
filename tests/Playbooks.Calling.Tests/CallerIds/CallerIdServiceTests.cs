using Microsoft.Extensions.Logging.Abstractions;
using Moq;
using Playbooks.Calling.CallerIds;
using Playbooks.Calling.Orgs;
using Playbooks.Calling.Tests.OrgDirectory;
using Twilio.Clients;

namespace Playbooks.Calling.Tests.CallerIds;

public class CallerIdServiceTests
{
    private const string OrgId = "org-1";
    private const string Number = "+14155550199";
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 9, 0, 0, TimeSpan.Zero);

    private readonly Mock<OrgStore> _orgs = StoreMocks.Of<OrgStore>();
    private readonly Mock<CallerIdStore> _store = StoreMocks.Of<CallerIdStore>();
    private readonly Mock<TwilioNumberOwnership> _twilio =
        new(MockBehavior.Strict, new Mock<ITwilioRestClient>(MockBehavior.Strict).Object, NullLogger<TwilioNumberOwnership>.Instance);
    private readonly List<string> _audited = [];
    private readonly FakeTimeProvider _time = new(Now);

    public CallerIdServiceTests()
    {
        _orgs.Setup(o => o.GetAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((string id, CancellationToken _) => id == OrgId ? new OrgSettings { OrgId = OrgId, Name = "Org" } : null);
    }

    private CallerIdService Service => new(_orgs.Object, _store.Object, _twilio.Object, StoreMocks.Audit(_audited).Object, _time);

    private void Owned(bool owned) =>
        _twilio.Setup(t => t.IsOwnedAsync(Number, It.IsAny<CancellationToken>())).ReturnsAsync(owned);

    private void HeldBy(string? orgId) =>
        _store.Setup(s => s.GetOwnerAsync(Number, It.IsAny<CancellationToken>())).ReturnsAsync(orgId);

    /// <summary>The service over an audit log that cannot be written.</summary>
    private CallerIdService ServiceWithoutAudit()
    {
        var auditStore = StoreMocks.Of<Playbooks.Calling.Audit.AuditStore>();
        auditStore.Setup(s => s.AppendAsync(It.IsAny<Playbooks.Calling.Audit.AuditEntry>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new Azure.RequestFailedException(503, "unavailable"));
        return new(_orgs.Object, _store.Object, _twilio.Object, new Playbooks.Calling.Audit.AuditService(auditStore.Object, _time), _time);
    }

    [Fact]
    public async Task AssignAsync_OwnedNumber_ClaimsItForTheOrgAndAudits()
    {
        // Arrange
        Owned(true);
        HeldBy(null);
        _store.Setup(s => s.AssignAsync(It.IsAny<CallerIdAssignment>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((CallerIdAssignment a, CancellationToken _) => a);

        // Act
        var result = await Service.AssignAsync(Callers.Support(), OrgId, "(415) 555-0199");

        // Assert
        Assert.Equal(new CallerIdAssignment(Number, OrgId, Now, "support-1"), result.Value);
        Assert.Equal(["caller-id.assigned"], _audited);
    }

    [Fact]
    public async Task AssignAsync_NumberTheAccountDoesNotOwn_IsInvalidAndNothingIsClaimed()
    {
        // Arrange
        Owned(false);

        // Act
        var result = await Service.AssignAsync(Callers.Support(), OrgId, Number);

        // Assert
        Assert.Equal(FailureKind.Invalid, result.Failure?.Kind);
        Assert.Equal(CallerIdService.NotOwned, result.Failure?.Code);
        Assert.Equal("phoneNumber", result.Failure?.Field);
        _store.VerifyNoOtherCalls();
        Assert.Empty(_audited);
    }

    [Fact]
    public async Task AssignAsync_HeldByAnotherOrg_IsAConflictAndNotAudited()
    {
        // Arrange
        Owned(true);
        HeldBy("org-2");
        _store.Setup(s => s.AssignAsync(It.IsAny<CallerIdAssignment>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(Failure.Conflict(CallerIdStore.AssignedElsewhere, "Taken."));

        // Act
        var result = await Service.AssignAsync(Callers.Support(), OrgId, Number);

        // Assert
        Assert.Equal(CallerIdStore.AssignedElsewhere, result.Failure?.Code);
        Assert.Empty(_audited);
    }

    [Fact]
    public async Task ListAsync_SupportReadsAnOrgsNumbers_ListsThemAndAuditsTheReadInThatOrg()
    {
        // Arrange
        var held = new CallerIdAssignment(Number, OrgId, Now, "support-0");
        _store.Setup(s => s.ListAsync(OrgId, It.IsAny<CancellationToken>())).ReturnsAsync([held]);

        // Act
        var result = await Service.ListAsync(Callers.Support(), OrgId);

        // Assert
        Assert.Equal([held], result.Value!.Items);
        Assert.Equal(["caller-ids.read-by-support"], _audited);
    }

    [Fact]
    public async Task AssignAsync_AlreadyHeldByTheOrg_ReturnsTheAssignmentWithoutAuditingOrWriting()
    {
        // Arrange
        Owned(true);
        HeldBy(OrgId);
        var held = new CallerIdAssignment(Number, OrgId, Now.AddDays(-3), "support-0");
        _store.Setup(s => s.ListAsync(OrgId, It.IsAny<CancellationToken>())).ReturnsAsync([held]);

        // Act
        var result = await Service.AssignAsync(Callers.Support(), OrgId, Number);

        // Assert
        Assert.Equal(held, result.Value);
        Assert.Empty(_audited);
        _store.Verify(s => s.AssignAsync(It.IsAny<CallerIdAssignment>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task AssignAsync_AuditLogUnwritable_NothingIsAssigned()
    {
        // Arrange
        Owned(true);
        HeldBy(null);

        // Act
        var result = await ServiceWithoutAudit().AssignAsync(Callers.Support(), OrgId, Number);

        // Assert
        Assert.Equal(Playbooks.Calling.Audit.AuditService.AuditUnavailable, result.Failure?.Code);
        _store.Verify(s => s.AssignAsync(It.IsAny<CallerIdAssignment>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task ReleaseAsync_AuditLogUnwritable_NothingIsReleased()
    {
        // Act
        var result = await ServiceWithoutAudit().ReleaseAsync(Callers.Support(), OrgId, Number);

        // Assert
        Assert.Equal(Playbooks.Calling.Audit.AuditService.AuditUnavailable, result.Failure?.Code);
        _store.Verify(s => s.ReleaseAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task AssignAsync_NotSupport_IsForbiddenBeforeTwilioIsAsked()
    {
        // Act
        var result = await Service.AssignAsync(Callers.Admin(OrgId), OrgId, Number);

        // Assert
        Assert.Equal("requires-support", result.Failure?.Code);
        _twilio.VerifyNoOtherCalls();
        _store.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task AssignAsync_UnknownOrg_IsNotFound()
    {
        // Act
        var result = await Service.AssignAsync(Callers.Support(), "no-such-org", Number);

        // Assert
        Assert.Equal(FailureKind.NotFound, result.Failure?.Kind);
        _twilio.VerifyNoOtherCalls();
    }

    [Theory]
    [InlineData("555")]
    [InlineData("")]
    public async Task AssignAsync_NotAPhoneNumber_IsInvalidOnPhoneNumber(string number)
    {
        // Act
        var result = await Service.AssignAsync(Callers.Support(), OrgId, number);

        // Assert
        Assert.Equal("phoneNumber", result.Failure?.Field);
        _twilio.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task ReleaseAsync_NumberTheOrgDoesNotHold_IsNotFoundAndNotAudited()
    {
        // Arrange
        _store.Setup(s => s.ReleaseAsync(OrgId, Number, It.IsAny<CancellationToken>())).ReturnsAsync(false);

        // Act
        var result = await Service.ReleaseAsync(Callers.Support(), OrgId, Number);

        // Assert
        Assert.Equal(FailureKind.NotFound, result.Failure?.Kind);
        Assert.Empty(_audited);
    }

    [Fact]
    public async Task ReleaseAsync_HeldNumber_ReleasesAndAudits()
    {
        // Arrange
        _store.Setup(s => s.ReleaseAsync(OrgId, Number, It.IsAny<CancellationToken>())).ReturnsAsync(true);

        // Act
        var result = await Service.ReleaseAsync(Callers.Support(), OrgId, Number);

        // Assert
        Assert.True(result.Value);
        Assert.Equal(["caller-id.released"], _audited);
    }
}
