using Moq;
using Playbooks.Calling.Teams;
using Playbooks.Calling.Tests.OrgDirectory;

namespace Playbooks.Calling.Tests.Teams;

public class ManagementScopesTests
{
    private readonly Mock<TeamStore> teams = StoreMocks.Of<TeamStore>();

    [Fact]
    public async Task For_Rep_Returns403()
    {
        var result = await new ManagementScopes(teams.Object).ForAsync(Callers.Rep("org-1"));

        Assert.Equal(FailureKind.Forbidden, result.Failure!.Kind);
    }

    [Fact]
    public async Task For_Admin_CoversWholeOrgWithoutReadingTeams()
    {
        var result = await new ManagementScopes(teams.Object).ForAsync(Callers.Admin("org-1"));

        Assert.True(result.Value!.CoversTeam(null));
        Assert.True(result.Value.CoversTeam("anything"));
    }

    [Fact]
    public async Task For_Manager_CoversOnlyManagedTeams()
    {
        teams.Setup(t => t.ManagedTeamIdsAsync("org-1", "manager-1", It.IsAny<CancellationToken>()))
            .ReturnsAsync(new HashSet<string> { "east" });

        var result = await new ManagementScopes(teams.Object).ForAsync(Callers.Manager("org-1"));

        Assert.True(result.Value!.CoversTeam("east"));
        Assert.False(result.Value.CoversTeam("west"));
        Assert.False(result.Value.CoversTeam(null));
    }

    [Fact]
    public void CountOutside_ManagerScope_CountsPeopleOnOtherTeamsAndOnNoTeam()
    {
        var scope = new ManagementScope(false, new HashSet<string> { "east" });

        var outside = scope.CountOutside(["east", "west", null, "east", "north"]);

        Assert.Equal(3, outside);
    }

    [Fact]
    public void CountOutside_WholeOrg_IsZero()
    {
        var scope = new ManagementScope(true, new HashSet<string>());

        Assert.Equal(0, scope.CountOutside(["west", null]));
    }
}
