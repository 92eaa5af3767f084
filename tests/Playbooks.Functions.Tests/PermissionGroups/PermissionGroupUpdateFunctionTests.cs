using Azure;
using Azure.Data.Tables;
using Moq;
using Playbooks.Calling;
using Playbooks.Calling.Audit;
using Playbooks.Calling.Identity;
using Playbooks.Calling.Orgs;
using Playbooks.Calling.People;
using Playbooks.Calling.PermissionGroups;
using Playbooks.Calling.Teams;
using Playbooks.Functions.Http;
using Playbooks.Functions.PermissionGroups;
using Playbooks.Functions.Tests.Http;

namespace Playbooks.Functions.Tests.PermissionGroups;

/// <summary>The update function over the real service, with the stores mocked: what reaches the client when auditing or scope refuses.</summary>
public sealed class PermissionGroupUpdateFunctionTests
{
    private static readonly TableServiceClient Unused = new("UseDevelopmentStorage=true");
    private static readonly Caller Manager = new("org-1", "mgr-1", "Manny Manager", new HashSet<string> { AppRoles.Manager });
    private static readonly Caller Admin = new("org-1", "admin-1", "Ada Admin", new HashSet<string> { AppRoles.Admin });

    private readonly Mock<PermissionGroupStore> groups = new(MockBehavior.Strict, Unused);
    private readonly Mock<PersonStore> people = new(MockBehavior.Strict, Unused);
    private readonly Mock<TeamStore> teams = new(MockBehavior.Strict, Unused);
    private readonly Mock<AuditStore> audit = new(MockBehavior.Strict, Unused);
    private readonly PermissionGroup group = new() { OrgId = "org-1", Id = "g1", Name = "Phone only", AllowPhone = true, Version = "W/\"v1\"" };

    public PermissionGroupUpdateFunctionTests()
    {
        groups.Setup(g => g.GetAsync("org-1", "g1", It.IsAny<CancellationToken>())).ReturnsAsync(group);
        groups.Setup(g => g.ListAllAsync("org-1", It.IsAny<CancellationToken>())).ReturnsAsync([group]);
    }

    private PermissionGroupUpdateFunction Function() =>
        new(new PermissionGroupService(groups.Object, people.Object, new ManagementScopes(teams.Object), new AuditService(audit.Object, TimeProvider.System), new Mock<OrgStore>(MockBehavior.Strict, Unused).Object));

    [Fact]
    public async Task Run_AuditLogUnavailable_Returns503AndLeavesTheGroupUnchanged()
    {
        // Arrange
        audit.Setup(a => a.AppendAsync(It.IsAny<AuditEntry>(), It.IsAny<CancellationToken>())).ThrowsAsync(new RequestFailedException(503, "Server busy"));
        var request = Requests.For(Admin, json: """{"name":"Phone only","allowComputer":true,"allowPhone":true}""");

        // Act
        var result = await Function().Run(request, "g1", CancellationToken.None);

        // Assert
        var problem = Assert.IsType<ProblemActionResult>(result).Problem;
        Assert.Equal((503, "audit-unavailable"), (problem.Status, problem.Code));
        groups.Verify(g => g.UpdateAsync(It.IsAny<PermissionGroup>(), It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task Run_ManagerAndMembersOutsideTheirTeams_Returns403WithTheCountAsAnExtension()
    {
        // Arrange
        teams.Setup(t => t.ManagedTeamIdsAsync("org-1", "mgr-1", It.IsAny<CancellationToken>())).ReturnsAsync(new HashSet<string> { "east" });
        people.Setup(p => p.TeamIdsInGroupAsync("org-1", "g1", It.IsAny<CancellationToken>())).ReturnsAsync(["east", "west", "west", null]);
        var request = Requests.For(Manager, json: """{"name":"Phone only","allowComputer":true,"allowPhone":true}""");

        // Act
        var result = await Function().Run(request, "g1", CancellationToken.None);

        // Assert
        var problem = Assert.IsType<ProblemActionResult>(result).Problem;
        Assert.Equal((403, "group-has-members-outside-your-teams"), (problem.Status, problem.Code));
        Assert.Equal(3, problem.ToProblemDetails().Extensions["membersOutsideYourTeams"]);
        Assert.Contains("3 of its members", problem.Detail);
    }

    [Fact]
    public async Task Run_StaleIfMatch_Returns412AndTheEntryIsMarkedNotApplied()
    {
        // Arrange
        audit.Setup(a => a.AppendAsync(It.Is<AuditEntry>(e => e.State == AuditStates.Pending), It.IsAny<CancellationToken>())).Returns(Task.CompletedTask);
        audit.Setup(a => a.MarkAsync("org-1", It.IsAny<string>(), AuditStates.NotApplied, "stale-edit", It.IsAny<CancellationToken>())).Returns(Task.CompletedTask);
        groups.Setup(g => g.UpdateAsync(It.IsAny<PermissionGroup>(), "W/\"old\"", It.IsAny<CancellationToken>())).ReturnsAsync(Failure.StaleEdit("Phone only"));
        var request = Requests.For(Admin, json: """{"name":"Phone only","allowComputer":true,"allowPhone":true}""", ifMatch: "W/\"old\"");

        // Act
        var result = await Function().Run(request, "g1", CancellationToken.None);

        // Assert
        Assert.Equal(412, Assert.IsType<ProblemActionResult>(result).Problem.Status);
        audit.Verify(a => a.MarkAsync("org-1", It.IsAny<string>(), AuditStates.NotApplied, "stale-edit", It.IsAny<CancellationToken>()), Times.Once);
    }
}
