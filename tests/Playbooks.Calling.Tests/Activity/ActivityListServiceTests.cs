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

public class ActivityListServiceTests
{
    private readonly Mock<ActivityStore> store = new(MockBehavior.Strict, new TableServiceClient("UseDevelopmentStorage=true"), TimeProvider.System);
    private readonly Mock<ManagementScopes> scopes = new(MockBehavior.Strict, StoreMocks.Of<TeamStore>().Object);
    private readonly Mock<PersonStore> people = StoreMocks.Of<PersonStore>();
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero));

    private ActivityListService Service() => new(store.Object, scopes.Object, people.Object, time);

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
