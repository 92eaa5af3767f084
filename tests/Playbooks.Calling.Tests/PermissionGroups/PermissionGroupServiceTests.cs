using Moq;
using Playbooks.Calling.Audit;
using Playbooks.Calling.People;
using Playbooks.Calling.Identity;
using Playbooks.Calling.Orgs;
using Playbooks.Calling.PermissionGroups;
using Playbooks.Calling.Teams;
using Playbooks.Calling.Tests.OrgDirectory;

namespace Playbooks.Calling.Tests.PermissionGroups;

public class PermissionGroupServiceTests
{
    private const string OrgId = "org-1";
    private readonly Mock<PermissionGroupStore> groups = StoreMocks.Of<PermissionGroupStore>();
    private readonly Mock<PersonStore> people = StoreMocks.Of<PersonStore>();
    private readonly Mock<ManagementScopes> scopes = new(MockBehavior.Strict, StoreMocks.Of<TeamStore>().Object);
    private readonly List<string> audited = [];
    private readonly Mock<AuditService> audit;
    private readonly PermissionGroup phoneOnly = new() { OrgId = OrgId, Id = "g1", Name = "Phone only", AllowPhone = true, Version = "v1" };

    public PermissionGroupServiceTests()
    {
        audit = StoreMocks.Audit(audited);
        groups.Setup(g => g.GetAsync(OrgId, "g1", It.IsAny<CancellationToken>())).ReturnsAsync(phoneOnly);
        groups.Setup(g => g.ListAllAsync(OrgId, It.IsAny<CancellationToken>())).ReturnsAsync([phoneOnly]);
        scopes.Setup(s => s.ForAsync(It.Is<Caller>(c => c.IsManager), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new ManagementScope(false, new HashSet<string> { "east" }));
        orgs.Setup(o => o.GetAsync(OrgId, It.IsAny<CancellationToken>())).ReturnsAsync(new OrgSettings { OrgId = OrgId, Name = "Org" });
    }

    private readonly Mock<OrgStore> orgs = StoreMocks.Of<OrgStore>();

    private PermissionGroupService Service => new(groups.Object, people.Object, scopes.Object, audit.Object, orgs.Object);

    [Fact]
    public async Task Update_ManagerAndMembersOutsideTheirTeams_Returns403NamingTheCount()
    {
        // Arrange
        people.Setup(p => p.TeamIdsInGroupAsync(OrgId, "g1", It.IsAny<CancellationToken>())).ReturnsAsync(["east", "west", null]);

        // Act
        var result = await Service.UpdateAsync(Callers.Manager(OrgId), "g1", new PermissionGroupInput("Phone only", true, true), null);

        // Assert
        Assert.Equal(FailureKind.Forbidden, result.Failure!.Kind);
        Assert.Equal("group-has-members-outside-your-teams", result.Failure.Code);
        Assert.Contains("2 of its members", result.Failure.Detail);
        Assert.Equal(2, result.Failure.Extensions!["membersOutsideYourTeams"]);
        groups.Verify(g => g.UpdateAsync(It.IsAny<PermissionGroup>(), It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
        Assert.Empty(audited);
    }

    [Fact]
    public async Task Delete_ManagerAndOneMemberOutsideTheirTeams_Returns403BeforeCountingMembers()
    {
        // Arrange
        people.Setup(p => p.TeamIdsInGroupAsync(OrgId, "g1", It.IsAny<CancellationToken>())).ReturnsAsync(["west"]);

        // Act
        var result = await Service.DeleteAsync(Callers.Manager(OrgId), "g1", null);

        // Assert
        Assert.Equal("group-has-members-outside-your-teams", result.Failure!.Code);
        Assert.Contains("1 of its members is not", result.Failure.Detail);
        people.Verify(p => p.CountInGroupAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task Update_ManagerAndEveryMemberOnTheirTeams_SavesAndAudits()
    {
        // Arrange
        people.Setup(p => p.TeamIdsInGroupAsync(OrgId, "g1", It.IsAny<CancellationToken>())).ReturnsAsync(["east", "east"]);
        groups.Setup(g => g.UpdateAsync(It.Is<PermissionGroup>(x => x.AllowComputer), "v1", It.IsAny<CancellationToken>()))
            .ReturnsAsync((PermissionGroup g, string _, CancellationToken _) => g with { Version = "v2" });

        // Act
        var result = await Service.UpdateAsync(Callers.Manager(OrgId), "g1", new PermissionGroupInput("Phone only", true, true), null);

        // Assert
        Assert.Equal("v2", result.Value!.Version);
        Assert.Equal(["permission-group.updated"], audited);
    }

    [Fact]
    public async Task Update_AdminAndMembersOnAnyTeam_SavesWithoutReadingMembers()
    {
        // Arrange
        groups.Setup(g => g.UpdateAsync(It.IsAny<PermissionGroup>(), "v1", It.IsAny<CancellationToken>()))
            .ReturnsAsync((PermissionGroup g, string _, CancellationToken _) => g with { Version = "v2" });

        // Act
        var result = await Service.UpdateAsync(Callers.Admin(OrgId), "g1", new PermissionGroupInput("Phone only", true, true), null);

        // Assert
        Assert.True(result.IsSuccess);
        Assert.Equal(["permission-group.updated"], audited);
    }

    [Fact]
    public async Task Delete_GroupWithMembers_Returns409WithMemberCount()
    {
        people.Setup(p => p.CountInGroupAsync(OrgId, "g1", It.IsAny<CancellationToken>())).ReturnsAsync(3);

        var result = await Service.DeleteAsync(Callers.Admin(OrgId), "g1", null);

        Assert.Equal(FailureKind.Conflict, result.Failure!.Kind);
        Assert.Equal("group-has-members", result.Failure.Code);
        Assert.Contains("3 members", result.Failure.Detail);
        Assert.Equal(3, result.Failure.Extensions!["memberCount"]);
        groups.Verify(g => g.DeleteAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task Delete_OrgsDefaultGroup_Returns409AndDeletesNothing()
    {
        // Arrange
        orgs.Setup(o => o.GetAsync(OrgId, It.IsAny<CancellationToken>()))
            .ReturnsAsync(new OrgSettings { OrgId = OrgId, Name = "Org", DefaultPermissionGroupId = "g1" });

        // Act
        var result = await Service.DeleteAsync(Callers.Admin(OrgId), "g1", null);

        // Assert
        Assert.Equal(FailureKind.Conflict, result.Failure!.Kind);
        Assert.Equal("group-is-org-default", result.Failure.Code);
        groups.Verify(g => g.DeleteAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
        Assert.Empty(audited);
    }

    [Fact]
    public async Task Delete_EmptyGroup_DeletesAndAudits()
    {
        people.Setup(p => p.TeamIdsInGroupAsync(OrgId, "g1", It.IsAny<CancellationToken>())).ReturnsAsync([]);
        people.Setup(p => p.CountInGroupAsync(OrgId, "g1", It.IsAny<CancellationToken>())).ReturnsAsync(0);
        groups.Setup(g => g.DeleteAsync(OrgId, "g1", "v1", It.IsAny<CancellationToken>())).ReturnsAsync(true);

        var result = await Service.DeleteAsync(Callers.Manager(OrgId), "g1", null);

        Assert.True(result.IsSuccess);
        Assert.Equal(["permission-group.deleted"], audited);
    }

    [Fact]
    public async Task Create_NameDiffersOnlyInCase_Returns409NameTaken()
    {
        var result = await Service.CreateAsync(Callers.Admin(OrgId), new PermissionGroupInput("  PHONE ONLY ", false, true));

        Assert.Equal(FailureKind.Conflict, result.Failure!.Kind);
        Assert.Equal("group-name-taken", result.Failure.Code);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("   ")]
    public async Task Create_EmptyName_Returns400NamingName(string? name)
    {
        var result = await Service.CreateAsync(Callers.Admin(OrgId), new PermissionGroupInput(name, true, true));

        Assert.Equal(FailureKind.Invalid, result.Failure!.Kind);
        Assert.Equal("name", result.Failure.Field);
    }

    [Fact]
    public async Task Create_NameOver100Chars_Returns400NamingName()
    {
        var result = await Service.CreateAsync(Callers.Admin(OrgId), new PermissionGroupInput(new string('x', 101), true, true));

        Assert.Equal("name", result.Failure!.Field);
    }

    [Fact]
    public async Task Create_ValidInput_StoresTrimmedNameAndAudits()
    {
        groups.Setup(g => g.CreateAsync(It.Is<PermissionGroup>(x => x.Name == "Both" && x.AllowComputer && x.AllowPhone && x.OrgId == OrgId), It.IsAny<CancellationToken>()))
            .ReturnsAsync((PermissionGroup g, CancellationToken _) => g with { Version = "v1" });

        var result = await Service.CreateAsync(Callers.Admin(OrgId), new PermissionGroupInput(" Both ", true, true));

        Assert.Equal("Both", result.Value!.Name);
        Assert.Equal(["permission-group.created"], audited);
    }

    [Fact]
    public async Task Create_Rep_Returns403()
    {
        var result = await Service.CreateAsync(Callers.Rep(OrgId), new PermissionGroupInput("Mine", true, true));

        Assert.Equal(FailureKind.Forbidden, result.Failure!.Kind);
    }

    [Fact]
    public async Task Update_UnknownGroup_Returns404()
    {
        groups.Setup(g => g.GetAsync(OrgId, "other", It.IsAny<CancellationToken>())).ReturnsAsync((PermissionGroup?)null);

        var result = await Service.UpdateAsync(Callers.Admin(OrgId), "other", new PermissionGroupInput("X", true, true), null);

        Assert.Equal(FailureKind.NotFound, result.Failure!.Kind);
    }
}
