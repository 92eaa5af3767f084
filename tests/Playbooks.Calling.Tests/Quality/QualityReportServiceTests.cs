using Moq;
using Playbooks.Calling.Calls;
using Playbooks.Calling.Orgs;
using Playbooks.Calling.People;
using Playbooks.Calling.Quality;
using Playbooks.Calling.Storage;
using Playbooks.Calling.Teams;
using Playbooks.Calling.Tests.OrgDirectory;

namespace Playbooks.Calling.Tests.Quality;

public class QualityReportServiceTests
{
    private const string OrgId = "org-1";
    private const string CallSid = "CA0123456789abcdef0123456789abcdef";
    private readonly Mock<QualityReportStore> reports = StoreMocks.Of<QualityReportStore>();
    private readonly Mock<OrgStore> orgs = StoreMocks.Of<OrgStore>();
    private readonly Mock<PersonStore> people = StoreMocks.Of<PersonStore>();
    private readonly Mock<TeamStore> teams = StoreMocks.Of<TeamStore>();
    private readonly Mock<CallLedger> calls = new(MockBehavior.Strict, new Azure.Data.Tables.TableServiceClient("UseDevelopmentStorage=true"));
    private readonly DateTimeOffset now = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly QualityReportRateLimiter limiter = new();

    private QualityReportService Service =>
        new(reports.Object, orgs.Object, people.Object, calls.Object, new ManagementScopes(teams.Object), new FakeTimeProvider(now), limiter);

    private void AcceptsReports()
    {
        orgs.Setup(o => o.GetAsync(OrgId, It.IsAny<CancellationToken>())).ReturnsAsync(new OrgSettings { OrgId = OrgId, Name = "Org" });
        people.Setup(p => p.GetAsync(OrgId, "rep-1", It.IsAny<CancellationToken>())).ReturnsAsync((Person?)null);
        PlacedBy("rep-1");
    }

    [Fact]
    public async Task Submit_AlreadyReported_Returns409QualityReportExists()
    {
        // Arrange
        AcceptsReports();
        reports.Setup(r => r.AddAsync(It.IsAny<QualityReport>(), It.IsAny<CancellationToken>())).ReturnsAsync((QualityReport?)null);

        // Act
        var result = await Service.SubmitAsync(Callers.Rep(OrgId), new QualityReportInput(CallSid, 2));

        // Assert
        Assert.Equal((FailureKind.Conflict, "quality-report-exists"), (result.Failure!.Kind, result.Failure.Code));
    }

    [Fact]
    public async Task Submit_MoreThanTheBurst_Returns429WithRetryAfterAndStoresNothingMore()
    {
        // Arrange
        AcceptsReports();
        var stored = 0;
        reports.Setup(r => r.AddAsync(It.IsAny<QualityReport>(), It.IsAny<CancellationToken>()))
            .Callback(() => stored++)
            .ReturnsAsync((QualityReport r, CancellationToken _) => r);
        var service = Service;
        for (var i = 0; i < QualityReportRateLimiter.DefaultBurst; i++)
        {
            Assert.True((await service.SubmitAsync(Callers.Rep(OrgId), new QualityReportInput(CallSid, 3))).IsSuccess);
        }

        // Act
        var refused = await service.SubmitAsync(Callers.Rep(OrgId), new QualityReportInput(CallSid, 3));

        // Assert
        Assert.Equal((FailureKind.RateLimited, "quality-reports-rate-limited"), (refused.Failure!.Kind, refused.Failure.Code));
        Assert.InRange(refused.Failure.RetryAfter!.Value, TimeSpan.FromSeconds(1), QualityReportRateLimiter.DefaultRefillPeriod);
        Assert.Equal(QualityReportRateLimiter.DefaultBurst, stored);
    }

    [Fact]
    public async Task Submit_OneUserRateLimited_AnotherUserStillReports()
    {
        // Arrange
        AcceptsReports();
        people.Setup(p => p.GetAsync(OrgId, "rep-2", It.IsAny<CancellationToken>())).ReturnsAsync((Person?)null);
        calls.Setup(c => c.GetAsync(OrgId, "CA0123456789abcdef0123456789abcd02", It.IsAny<CancellationToken>()))
            .ReturnsAsync(new CallRecord(OrgId, "CA0123456789abcdef0123456789abcd02", "rep-2", CallingMethod.Phone, "+12015550100", now));
        reports.Setup(r => r.AddAsync(It.IsAny<QualityReport>(), It.IsAny<CancellationToken>())).ReturnsAsync((QualityReport r, CancellationToken _) => r);
        using var tight = new QualityReportRateLimiter(1, TimeSpan.FromHours(1));
        var service = new QualityReportService(
            reports.Object, orgs.Object, people.Object, calls.Object, new ManagementScopes(teams.Object), new FakeTimeProvider(now), tight);
        await service.SubmitAsync(Callers.Rep(OrgId), new QualityReportInput(CallSid, 3));

        // Act
        var again = await service.SubmitAsync(Callers.Rep(OrgId), new QualityReportInput(CallSid, 3));
        var other = await service.SubmitAsync(Callers.Rep(OrgId, "rep-2"), new QualityReportInput("CA0123456789abcdef0123456789abcd02", 3));

        // Assert
        Assert.Equal(FailureKind.RateLimited, again.Failure!.Kind);
        Assert.True(other.IsSuccess);
    }

    [Fact]
    public async Task Submit_Rep_StoresReportAsTheCallerWithTheirTeam()
    {
        // Arrange
        orgs.Setup(o => o.GetAsync(OrgId, It.IsAny<CancellationToken>())).ReturnsAsync(new OrgSettings { OrgId = OrgId, Name = "Org" });
        people.Setup(p => p.GetAsync(OrgId, "rep-1", It.IsAny<CancellationToken>()))
            .ReturnsAsync(new Person { OrgId = OrgId, UserId = "rep-1", DisplayName = "Rita Stored", TeamId = "east" });
        reports.Setup(r => r.AddAsync(It.IsAny<QualityReport>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((QualityReport r, CancellationToken _) => r);
        PlacedBy("rep-1");

        // Act
        var result = await Service.SubmitAsync(Callers.Rep(OrgId), new QualityReportInput(CallSid, 2, ["echo"]));

        // Assert
        var report = result.Value!;
        Assert.Equal(("rep-1", "Rita Stored", "east", OrgId), (report.ReporterUserId, report.ReporterDisplayName, report.TeamId, report.OrgId));
        Assert.Equal(now, report.At);
        Assert.Equal(["echo"], report.Issues);
    }

    [Theory]
    [InlineData("rep-2")]
    [InlineData(null)]
    public async Task Submit_CallNotPlacedByTheCaller_Returns400CallSidAndStoresNothing(string? placedBy)
    {
        orgs.Setup(o => o.GetAsync(OrgId, It.IsAny<CancellationToken>())).ReturnsAsync(new OrgSettings { OrgId = OrgId, Name = "Org" });
        PlacedBy(placedBy);

        var result = await Service.SubmitAsync(Callers.Rep(OrgId), new QualityReportInput(CallSid, 2, ["echo"]));

        Assert.Equal(("callSid", "unknown-call"), (result.Failure!.Field, result.Failure.Code));
        reports.VerifyNoOtherCalls();
    }

    private void PlacedBy(string? userId) =>
        calls.Setup(c => c.GetAsync(OrgId, CallSid, It.IsAny<CancellationToken>())).ReturnsAsync(userId is null
            ? null
            : new CallRecord(OrgId, CallSid, userId, CallingMethod.Computer, "+12015550100", now));

    [Fact]
    public async Task Submit_InvalidReport_StoresNothing()
    {
        var result = await Service.SubmitAsync(Callers.Rep(OrgId), new QualityReportInput(CallSid, 9));

        Assert.Equal("score", result.Failure!.Field);
        reports.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task Submit_OrgNotStored_ReturnsOrgNotFound()
    {
        orgs.Setup(o => o.GetAsync(OrgId, It.IsAny<CancellationToken>())).ReturnsAsync((OrgSettings?)null);

        var result = await Service.SubmitAsync(Callers.Rep(OrgId), new QualityReportInput(CallSid, 3));

        Assert.Equal(Failure.NotFound("Org"), result.Failure);
    }

    [Fact]
    public async Task List_Manager_ReadsOnlyTheirTeamsReports()
    {
        // Arrange
        teams.Setup(t => t.ManagedTeamIdsAsync(OrgId, "manager-1", It.IsAny<CancellationToken>())).ReturnsAsync(new HashSet<string> { "east" });
        reports.Setup(r => r.ListAsync(OrgId, It.Is<IReadOnlyCollection<string>>(ids => ids.SequenceEqual(new[] { "east" })), It.IsAny<PageRequest>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new PagedList<QualityReport>([], null));

        // Act
        var result = await Service.ListAsync(Callers.Manager(OrgId), PageRequest.First);

        // Assert
        Assert.True(result.IsSuccess);
        reports.VerifyAll();
    }

    [Fact]
    public async Task List_Admin_ReadsTheWholeOrg()
    {
        reports.Setup(r => r.ListAsync(OrgId, null, It.IsAny<PageRequest>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new PagedList<QualityReport>([], null));

        var result = await Service.ListAsync(Callers.Admin(OrgId), PageRequest.First);

        Assert.True(result.IsSuccess);
        reports.VerifyAll();
    }

    [Fact]
    public async Task List_Rep_Returns403()
    {
        var result = await Service.ListAsync(Callers.Rep(OrgId), PageRequest.First);

        Assert.Equal(FailureKind.Forbidden, result.Failure!.Kind);
    }

    [Fact]
    public async Task List_PageSizeTooLarge_NamesPageSize()
    {
        var result = await Service.ListAsync(Callers.Admin(OrgId), new PageRequest(500));

        Assert.Equal("pageSize", result.Failure!.Field);
    }

}
