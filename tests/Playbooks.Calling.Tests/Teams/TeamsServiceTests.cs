using Moq;
using Playbooks.Calling.Audit;
using Playbooks.Calling.People;
using Playbooks.Calling.Teams;
using Playbooks.Calling.Tests.OrgDirectory;

namespace Playbooks.Calling.Tests.Teams;

public class TeamsServiceTests
{
    private const string OrgId = "org-1";
    private readonly Mock<TeamStore> teams = StoreMocks.Of<TeamStore>();
    private readonly Mock<PersonStore> people = StoreMocks.Of<PersonStore>();
    private readonly Mock<ManagementScopes> scopes = new(MockBehavior.Strict, StoreMocks.Of<TeamStore>().Object);
    private readonly List<string> audited = [];
    private readonly Mock<AuditService> audit;
    private readonly Team east = new() { OrgId = OrgId, Id = "east", Name = "East", ManagerUserIds = ["m1"], Version = "W/\"v1\"" };

    public TeamsServiceTests()
    {
        audit = StoreMocks.Audit(audited);
        teams.Setup(t => t.GetAsync(OrgId, "east", It.IsAny<CancellationToken>())).ReturnsAsync(east);
        teams.Setup(t => t.GetAsync(OrgId, "nope", It.IsAny<CancellationToken>())).ReturnsAsync((Team?)null);
        people.Setup(p => p.GetAsync(OrgId, "m1", It.IsAny<CancellationToken>())).ReturnsAsync(new Person { OrgId = OrgId, UserId = "m1", DisplayName = "M One" });
        people.Setup(p => p.GetAsync(OrgId, "m2", It.IsAny<CancellationToken>())).ReturnsAsync(new Person { OrgId = OrgId, UserId = "m2", DisplayName = "M Two" });
        people.Setup(p => p.GetAsync(OrgId, "stranger", It.IsAny<CancellationToken>())).ReturnsAsync((Person?)null);
    }

    private TeamsService Service => new(scopes.Object, teams.Object, people.Object, audit.Object);

    [Fact]
    public async Task Create_Admin_StoresTeamWithGeneratedIdTrimmedNameAndDistinctManagers()
    {
        // Arrange
        Team? stored = null;
        teams.Setup(t => t.CreateAsync(It.IsAny<Team>(), It.IsAny<CancellationToken>()))
            .Callback((Team t, CancellationToken _) => stored = t)
            .ReturnsAsync((Team t, CancellationToken _) => t with { Version = "W/\"v2\"" });

        // Act
        var result = await Service.CreateAsync(Callers.Admin(OrgId), new TeamInput("  North  ", ["m1", "m2", "m1"]));

        // Assert
        Assert.True(result.IsSuccess);
        Assert.Equal("North", stored!.Name);
        Assert.Equal(OrgId, stored.OrgId);
        Assert.Equal(32, stored.Id.Length);
        Assert.Equal(["m1", "m2"], stored.ManagerUserIds);
        Assert.Equal("W/\"v2\"", result.Value!.Version);
        Assert.Equal(["team.created"], audited);
    }

    [Fact]
    public async Task Create_Manager_Returns403AndStoresNothing()
    {
        // Act
        var result = await Service.CreateAsync(Callers.Manager(OrgId), new TeamInput("North", []));

        // Assert
        Assert.Equal(FailureKind.Forbidden, result.Failure!.Kind);
        Assert.Equal("requires-admin", result.Failure.Code);
        Assert.Empty(audited);
    }

    [Fact]
    public async Task Create_ManagerIsNotAPersonOfTheOrg_Returns400NamingManagerUserIds()
    {
        // Act
        var result = await Service.CreateAsync(Callers.Admin(OrgId), new TeamInput("North", ["m1", "stranger"]));

        // Assert
        Assert.Equal(FailureKind.Invalid, result.Failure!.Kind);
        Assert.Equal("managerUserIds", result.Failure.Field);
        Assert.Equal(TeamsService.UnknownManager, result.Failure.Code);
        Assert.Contains("stranger", result.Failure.Detail);
        Assert.Empty(audited);
    }

    [Fact]
    public async Task Create_NameTooLong_Returns400NamingName()
    {
        // Act
        var result = await Service.CreateAsync(Callers.Admin(OrgId), new TeamInput(new string('x', 101), []));

        // Assert
        Assert.Equal("name", result.Failure!.Field);
        Assert.Empty(audited);
    }

    [Fact]
    public async Task Update_RenameAndNewManagers_UpdatesWithTheCallersIfMatch()
    {
        // Arrange
        teams.Setup(t => t.UpdateAsync(It.Is<Team>(x => x.Name == "East Coast" && x.ManagerUserIds.SequenceEqual(new[] { "m2" })), "W/\"old\"", It.IsAny<CancellationToken>()))
            .ReturnsAsync((Team t, string _, CancellationToken _) => t with { Version = "W/\"v3\"" });

        // Act
        var result = await Service.UpdateAsync(Callers.Admin(OrgId), "east", new TeamInput("East Coast", ["m2"]), "W/\"old\"");

        // Assert
        Assert.Equal("W/\"v3\"", result.Value!.Version);
        Assert.Equal(["team.updated"], audited);
    }

    [Fact]
    public async Task Update_StaleVersion_Returns412AndAuditsNothingApplied()
    {
        // Arrange
        teams.Setup(t => t.UpdateAsync(It.IsAny<Team>(), "W/\"old\"", It.IsAny<CancellationToken>()))
            .ReturnsAsync(Failure.StaleEdit("Team 'East Coast'"));

        // Act
        var result = await Service.UpdateAsync(Callers.Admin(OrgId), "east", new TeamInput("East Coast", ["m1"]), "W/\"old\"");

        // Assert
        Assert.Equal(FailureKind.PreconditionFailed, result.Failure!.Kind);
        Assert.Empty(audited);
    }

    [Fact]
    public async Task Update_UnknownTeam_Returns404()
    {
        // Act
        var result = await Service.UpdateAsync(Callers.Admin(OrgId), "nope", new TeamInput("X", []), null);

        // Assert
        Assert.Equal(FailureKind.NotFound, result.Failure!.Kind);
    }

    [Fact]
    public async Task Delete_TeamWithMembers_Returns409NamingTheCount()
    {
        // Arrange
        people.Setup(p => p.CountInTeamAsync(OrgId, "east", It.IsAny<CancellationToken>())).ReturnsAsync(3);

        // Act
        var result = await Service.DeleteAsync(Callers.Admin(OrgId), "east", null);

        // Assert
        Assert.Equal(FailureKind.Conflict, result.Failure!.Kind);
        Assert.Equal(TeamsService.TeamHasMembers, result.Failure.Code);
        Assert.Contains("3 members", result.Failure.Detail);
        Assert.Equal(3, result.Failure.Extensions!["memberCount"]);
        teams.Verify(t => t.DeleteAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
        Assert.Empty(audited);
    }

    [Fact]
    public async Task Delete_EmptyTeam_DeletesAtTheStoredVersionAndAudits()
    {
        // Arrange
        people.Setup(p => p.CountInTeamAsync(OrgId, "east", It.IsAny<CancellationToken>())).ReturnsAsync(0);
        teams.Setup(t => t.DeleteAsync(OrgId, "east", "W/\"v1\"", It.IsAny<CancellationToken>())).ReturnsAsync(true);

        // Act
        var result = await Service.DeleteAsync(Callers.Admin(OrgId), "east", null);

        // Assert
        Assert.True(result.IsSuccess);
        Assert.Equal(["team.deleted"], audited);
    }

    [Fact]
    public async Task Delete_Manager_Returns403()
    {
        // Act
        var result = await Service.DeleteAsync(Callers.Manager(OrgId), "east", null);

        // Assert
        Assert.Equal("requires-admin", result.Failure!.Code);
    }
}
