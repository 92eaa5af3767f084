using Moq;
using Playbooks.Calling.Audit;
using Playbooks.Calling.DeadLetters;
using Playbooks.Calling.Identity;
using Playbooks.Calling.Tests.OrgDirectory;

namespace Playbooks.Calling.Tests.DeadLetters;

public class DeadLetterServiceTests
{
    private static readonly DeadLetter Ours = new("1", "m-1", "org-a", "CB1", "call-status", "max-delivery-exceeded", "", DateTimeOffset.UnixEpoch);
    private static readonly DeadLetter Theirs = new("2", "m-2", "org-b", "CB2", "call-status", "max-delivery-exceeded", "", DateTimeOffset.UnixEpoch);
    private static readonly DeadLetter Unreadable = new("3", "m-3", null, null, null, "unparseable-payload", "", DateTimeOffset.UnixEpoch);

    private readonly Mock<IDeadLetterQueue> queue = new(MockBehavior.Strict);
    private readonly Mock<AuditService> audit = new(MockBehavior.Strict, null!, null!, null!);

    private DeadLetterService Service() => new(queue.Object, audit.Object, new DeadLetterMetrics());

    private void Peeks() => queue.Setup(q => q.PeekAsync(DeadLetterService.MaxListed, It.IsAny<CancellationToken>())).ReturnsAsync([Ours, Theirs, Unreadable]);

    private void AuditsAndApplies() => audit
        .Setup(a => a.RecordChangeAsync(It.IsAny<Caller>(), "org-a", It.IsAny<string>(), DeadLetterService.AuditTarget, It.IsAny<string>(),
            It.IsAny<object?>(), It.IsAny<object?>(), It.IsAny<Func<Task<Result<DeadLetterReplay>>>>(), It.IsAny<CancellationToken>()))
        .Returns((Caller _, string _, string _, string _, string _, object? _, object? _, Func<Task<Result<DeadLetterReplay>>> apply, CancellationToken _) => apply());

    [Fact]
    public async Task ListAsync_Admin_SeesOnlyTheirOrgs()
    {
        Peeks();

        var result = await Service().ListAsync(Callers.Admin("org-a"));

        Assert.Equal([Ours], result.Value);
    }

    [Fact]
    public async Task ListAsync_Manager_Returns403WithoutReadingTheQueue()
    {
        var result = await Service().ListAsync(Callers.Manager("org-a"));

        Assert.Equal(FailureKind.Forbidden, result.Failure!.Kind);
        queue.VerifyNoOtherCalls();
    }

    private readonly List<string> readOrgs = [];

    private void AuditsReads() => audit
        .Setup(a => a.RecordAsync(It.IsAny<Caller>(), It.IsAny<string>(), "dead-letters.read-by-support", DeadLetterService.AuditTarget,
            It.IsAny<string>(), null, null, It.IsAny<CancellationToken>()))
        .Callback((Caller _, string orgId, string _, string _, string _, object? _, object? _, CancellationToken _) => readOrgs.Add(orgId))
        .Returns(Task.CompletedTask);

    [Fact]
    public async Task ListAllAsync_Support_SeesEveryOrgIncludingUnreadable()
    {
        Peeks();
        AuditsReads();

        var all = await Service().ListAllAsync(Callers.Support(), null);
        var one = await Service().ListAllAsync(Callers.Support(), "org-b");

        Assert.Equal([Ours, Theirs, Unreadable], all.Value);
        Assert.Equal([Theirs], one.Value);
    }

    [Fact]
    public async Task ListAllAsync_Support_AuditsTheReadInEveryOrgItShows()
    {
        Peeks();
        AuditsReads();

        await Service().ListAllAsync(Callers.Support(), null);
        await Service().ListAllAsync(Callers.Support(), "org-b");

        Assert.Equal(["org-a", "org-b", "org-b"], readOrgs.Order());
    }

    [Fact]
    public async Task ListAllAsync_AuditLogUnwritable_NothingIsShown()
    {
        Peeks();
        audit.Setup(a => a.RecordAsync(It.IsAny<Caller>(), It.IsAny<string>(), It.IsAny<string>(), It.IsAny<string>(), It.IsAny<string>(),
                It.IsAny<object?>(), It.IsAny<object?>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new Azure.RequestFailedException(503, "unavailable"));

        await Assert.ThrowsAsync<Azure.RequestFailedException>(() => Service().ListAllAsync(Callers.Support(), null));
    }

    [Fact]
    public async Task ListAllAsync_Admin_Returns403()
    {
        var result = await Service().ListAllAsync(Callers.Admin("org-a"), null);

        Assert.Equal("requires-support", result.Failure!.Code);
    }

    [Fact]
    public async Task ReplayAsync_AnotherOrgsDeadLetter_NotFoundAndNotReplayed()
    {
        AuditsAndApplies();
        Func<DeadLetter, bool>? which = null;
        queue.Setup(q => q.ReplayAsync(It.IsAny<Func<DeadLetter, bool>>(), 1, It.IsAny<CancellationToken>()))
            .Callback((Func<DeadLetter, bool> w, int _, CancellationToken _) => which = w)
            .ReturnsAsync([]);

        var result = await Service().ReplayAsync(Callers.Admin("org-a"), "2");

        Assert.Equal(FailureKind.NotFound, result.Failure!.Kind);
        Assert.False(which!(Theirs));
        Assert.False(which(Ours));
    }

    [Fact]
    public async Task ReplayAllAsync_Admin_AuditedAndSelectsOnlyTheirOrg()
    {
        AuditsAndApplies();
        Func<DeadLetter, bool>? which = null;
        queue.Setup(q => q.ReplayAsync(It.IsAny<Func<DeadLetter, bool>>(), DeadLetterService.MaxReplayed, It.IsAny<CancellationToken>()))
            .Callback((Func<DeadLetter, bool> w, int _, CancellationToken _) => which = w)
            .ReturnsAsync([Ours]);

        var result = await Service().ReplayAllAsync(Callers.Admin("org-a"));

        Assert.Equal(1, result.Value!.Replayed);
        Assert.True(which!(Ours));
        Assert.False(which(Theirs));
        Assert.False(which(Unreadable));
        audit.Verify(a => a.RecordChangeAsync(It.IsAny<Caller>(), "org-a", "dead-letter.replayed-all", DeadLetterService.AuditTarget, "org-a",
            It.IsAny<object?>(), It.IsAny<object?>(), It.IsAny<Func<Task<Result<DeadLetterReplay>>>>(), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Theory]
    [InlineData("a/b")]
    [InlineData("")]
    public async Task ReplayAsync_BadId_Returns400WithField(string id)
    {
        var result = await Service().ReplayAsync(Callers.Admin("org-a"), id);

        Assert.Equal("id", result.Failure!.Field);
    }
}
