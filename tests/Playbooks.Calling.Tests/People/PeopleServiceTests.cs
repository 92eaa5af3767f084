using Moq;
using Playbooks.Calling.Audit;
using Playbooks.Calling.Calls;
using Playbooks.Calling.Identity;
using Playbooks.Calling.Orgs;
using Playbooks.Calling.People;
using Playbooks.Calling.PermissionGroups;
using Playbooks.Calling.Storage;
using Playbooks.Calling.Teams;
using Playbooks.Calling.Tests.AgentPhones;
using Playbooks.Calling.Tests.OrgDirectory;

namespace Playbooks.Calling.Tests.People;

public class PeopleServiceTests
{
    private const string OrgId = "org-1";
    private readonly Mock<ManagementScopes> scopes = new(MockBehavior.Strict, StoreMocks.Of<TeamStore>().Object);
    private readonly Mock<PersonStore> people = StoreMocks.Of<PersonStore>();
    private readonly Mock<TeamStore> teams = StoreMocks.Of<TeamStore>();
    private readonly Mock<PermissionGroupStore> groups = StoreMocks.Of<PermissionGroupStore>();
    private readonly Mock<OrgStore> orgs = StoreMocks.Of<OrgStore>();
    private readonly List<string> audited = [];
    private readonly Mock<AuditService> audit;

    private readonly Person rep = new()
    {
        OrgId = OrgId, UserId = "rep-1", DisplayName = "Rita Rep", TeamId = "east", PermissionGroupId = "phone-only",
        CallingPreference = CallingMethod.Phone, AgentPhoneNumber = "+15005550001", AgentPhoneVerified = true, Version = "v1",
    };

    public PeopleServiceTests()
    {
        audit = StoreMocks.Audit(audited);
        scopes.Setup(s => s.ForAsync(It.Is<Caller>(c => c.IsManager), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new ManagementScope(false, new HashSet<string> { "east" }));
        people.Setup(p => p.GetAsync(OrgId, "rep-1", It.IsAny<CancellationToken>())).ReturnsAsync(rep);
        groups.Setup(g => g.GetAsync(OrgId, "phone-only", It.IsAny<CancellationToken>()))
            .ReturnsAsync(new PermissionGroup { OrgId = OrgId, Id = "phone-only", Name = "Phone only", AllowPhone = true });
        groups.Setup(g => g.GetAsync(OrgId, "nope", It.IsAny<CancellationToken>())).ReturnsAsync((PermissionGroup?)null);
        orgs.Setup(o => o.GetAsync(OrgId, It.IsAny<CancellationToken>()))
            .ReturnsAsync(new OrgSettings { OrgId = OrgId, Name = "Org", ComputerCallingEnabled = true });
    }

    private readonly List<Person> verificationsStarted = [];

    private PeopleService Service => new(scopes.Object, people.Object, teams.Object, groups.Object, orgs.Object, audit.Object,
        new DestinationPolicy(), VerificationHarness.StrictService(verificationsStarted).Object);

    [Fact]
    public async Task Update_ManagerSetsPreferenceGroupForbids_SavesAndWarns()
    {
        // Arrange
        people.Setup(p => p.UpdateAsync(It.Is<Person>(x => x.CallingPreference == CallingMethod.Computer), "v1", It.IsAny<CancellationToken>()))
            .ReturnsAsync((Person p, string _, CancellationToken _) => p with { Version = "v2" });

        // Act
        var result = await Service.UpdateAsync(Callers.Manager(OrgId), "rep-1", new PersonPatch(CallingPreference: "computer"), null);

        // Assert
        Assert.Equal(CallingMethod.Computer, result.Value!.Person.CallingPreference);
        var warning = Assert.Single(result.Value.Warnings);
        Assert.Equal("group-forbids-computer", warning.Code);
        Assert.Equal(["person.updated"], audited);
    }

    [Theory]
    [InlineData(AppRoles.Admin)]
    [InlineData(AppRoles.Support)]
    public async Task Update_ManagerEditsAdminOrSupportOnTheirTeam_Returns403WithoutWriting(string role)
    {
        // Arrange
        people.Setup(p => p.GetAsync(OrgId, "rep-1", It.IsAny<CancellationToken>())).ReturnsAsync(rep with { Roles = [role] });

        // Act
        var result = await Service.UpdateAsync(Callers.Manager(OrgId), "rep-1", new PersonPatch(AgentPhoneNumber: "+12015550149"), null);

        // Assert
        Assert.Equal(FailureKind.Forbidden, result.Failure!.Kind);
        Assert.Equal("person-is-admin-or-support", result.Failure.Code);
        Assert.Empty(audited);
    }

    [Fact]
    public async Task Update_AdminEditsAnotherAdmin_Saves()
    {
        // Arrange
        people.Setup(p => p.GetAsync(OrgId, "rep-1", It.IsAny<CancellationToken>())).ReturnsAsync(rep with { Roles = [AppRoles.Admin] });
        people.Setup(p => p.UpdateAsync(It.Is<Person>(x => x.AgentPhoneNumber == "+12015550149"), "v1", It.IsAny<CancellationToken>()))
            .ReturnsAsync((Person p, string _, CancellationToken _) => p with { Version = "v2" });
        scopes.Setup(s => s.ForAsync(It.Is<Caller>(c => c.IsAdmin), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new ManagementScope(true, new HashSet<string>()));

        // Act
        var result = await Service.UpdateAsync(Callers.Admin(OrgId), "rep-1", new PersonPatch(AgentPhoneNumber: "+12015550149"), null);

        // Assert
        Assert.Equal("v2", result.Value!.Person.Version);
        Assert.Equal(["person.updated"], audited);
    }

    [Fact]
    public async Task Update_IfMatchGiven_PassesClientVersionToStore()
    {
        people.Setup(p => p.UpdateAsync(It.IsAny<Person>(), "client-version", It.IsAny<CancellationToken>()))
            .ReturnsAsync(Failure.StaleEdit("Rita Rep's settings"));

        var result = await Service.UpdateAsync(Callers.Manager(OrgId), "rep-1", new PersonPatch(AgentPhoneNumber: "+14155550109"), "client-version");

        Assert.Equal(FailureKind.PreconditionFailed, result.Failure!.Kind);
        Assert.Empty(audited);
    }

    [Fact]
    public async Task Update_UnknownGroup_Returns400NamingPermissionGroupId()
    {
        var result = await Service.UpdateAsync(Callers.Manager(OrgId), "rep-1", new PersonPatch(PermissionGroupId: "nope"), null);

        Assert.Equal(FailureKind.Invalid, result.Failure!.Kind);
        Assert.Equal("permissionGroupId", result.Failure.Field);
    }

    [Fact]
    public async Task Update_UnknownTeam_Returns400NamingTeamId()
    {
        teams.Setup(t => t.GetAsync(OrgId, "north", It.IsAny<CancellationToken>())).ReturnsAsync((Team?)null);

        var result = await Service.UpdateAsync(Callers.Manager(OrgId), "rep-1", new PersonPatch(TeamId: "north"), null);

        Assert.Equal("teamId", result.Failure!.Field);
    }

    [Fact]
    public async Task Update_ManagerMovesPersonToUnmanagedTeam_Returns403()
    {
        teams.Setup(t => t.GetAsync(OrgId, "west", It.IsAny<CancellationToken>()))
            .ReturnsAsync(new Team { OrgId = OrgId, Id = "west", Name = "West" });

        var result = await Service.UpdateAsync(Callers.Manager(OrgId), "rep-1", new PersonPatch(TeamId: "west"), null);

        Assert.Equal(FailureKind.Forbidden, result.Failure!.Kind);
        Assert.Equal("team-not-managed", result.Failure.Code);
    }

    [Theory]
    [InlineData("12", "agentPhoneNumber")]
    [InlineData("not a phone", "agentPhoneNumber")]
    public async Task Update_InvalidPhone_Returns400NamingAgentPhoneNumber(string phone, string field)
    {
        var result = await Service.UpdateAsync(Callers.Manager(OrgId), "rep-1", new PersonPatch(AgentPhoneNumber: phone), null);

        Assert.Equal(FailureKind.Invalid, result.Failure!.Kind);
        Assert.Equal(field, result.Failure.Field);
    }

    [Fact]
    public async Task Update_UnknownPreference_Returns400NamingCallingPreference()
    {
        var result = await Service.UpdateAsync(Callers.Manager(OrgId), "rep-1", new PersonPatch(CallingPreference: "carrier-pigeon"), null);

        Assert.Equal("callingPreference", result.Failure!.Field);
    }

    [Fact]
    public async Task Get_ManagerAsksForPersonOnAnotherTeam_Returns404()
    {
        people.Setup(p => p.GetAsync(OrgId, "rep-west", It.IsAny<CancellationToken>())).ReturnsAsync(rep with { UserId = "rep-west", TeamId = "west" });

        var result = await Service.GetAsync(Callers.Manager(OrgId), "rep-west");

        Assert.Equal(FailureKind.NotFound, result.Failure!.Kind);
    }

    [Fact]
    public async Task List_Rep_Returns403()
    {
        scopes.Setup(s => s.ForAsync(It.Is<Caller>(c => !c.IsManager && !c.IsAdmin), It.IsAny<CancellationToken>()))
            .ReturnsAsync(Failure.Forbidden("requires-manager-or-admin", "no"));

        var result = await Service.ListAsync(Callers.Rep(OrgId), null, FirstPage());

        Assert.Equal(FailureKind.Forbidden, result.Failure!.Kind);
    }

    [Fact]
    public async Task List_Manager_FiltersToManagedTeams()
    {
        people.Setup(p => p.ListAsync(OrgId, It.Is<PeopleFilter>(f => f.TeamIds!.SequenceEqual(new[] { "east" }) && f.Search == "rit"), It.IsAny<PageRequest>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new PagedList<Person>([rep], null));

        var result = await Service.ListAsync(Callers.Manager(OrgId), "rit", FirstPage());

        Assert.Equal(["rep-1"], result.Value!.Items.Select(p => p.UserId));
    }

    private static PageRequest FirstPage() => PageRequest.First;

    [Fact]
    public async Task Update_ManagerSetsANewAgentPhone_StoresItUnverifiedAndStartsItsVerification()
    {
        // Arrange
        people.Setup(p => p.UpdateAsync(It.Is<Person>(x => x.AgentPhoneNumber == "+14155550109" && !x.AgentPhoneVerified), "v1", It.IsAny<CancellationToken>()))
            .ReturnsAsync((Person p, string _, CancellationToken _) => p with { Version = "v2" });

        // Act
        var result = await Service.UpdateAsync(Callers.Manager(OrgId), "rep-1", new PersonPatch(AgentPhoneNumber: "(415) 555-0109"), null);

        // Assert
        Assert.False(result.Value!.Person.AgentPhoneVerified);
        Assert.Equal("+14155550109", Assert.Single(verificationsStarted).AgentPhoneNumber);
        Assert.Equal("agent-phone-unverified", Assert.Single(result.Value.Warnings).Code);
    }

    [Fact]
    public async Task Update_SameAgentPhoneAgain_KeepsItVerifiedAndCallsNobody()
    {
        // Arrange
        people.Setup(p => p.GetAsync(OrgId, "rep-1", It.IsAny<CancellationToken>())).ReturnsAsync(rep with { AgentPhoneNumber = "+14155550109" });

        // Act
        var result = await Service.UpdateAsync(Callers.Manager(OrgId), "rep-1", new PersonPatch(AgentPhoneNumber: "(415) 555-0109"), null);

        // Assert
        Assert.True(result.Value!.Person.AgentPhoneVerified);
        Assert.Empty(verificationsStarted);
        Assert.Empty(audited);
    }

    [Theory]
    [InlineData("+449012345678", "destination-premium-rate")]
    [InlineData("611", "destination-not-dialable")]
    public async Task Update_PremiumOrShortCodeAgentPhone_Returns400AndCallsNobody(string phone, string code)
    {
        // Act
        var result = await Service.UpdateAsync(Callers.Manager(OrgId), "rep-1", new PersonPatch(AgentPhoneNumber: phone), null);

        // Assert
        Assert.Equal((FailureKind.Invalid, code, "agentPhoneNumber"), (result.Failure!.Kind, result.Failure.Code, result.Failure.Field));
        Assert.Empty(verificationsStarted);
    }

    [Fact]
    public async Task Create_NotAdmin_Returns403()
    {
        var result = await Service.CreateAsync(Callers.Manager(OrgId), new NewPerson("new@example.com"));

        Assert.Equal((FailureKind.Forbidden, "requires-admin"), (result.Failure!.Kind, result.Failure.Code));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("no-at-sign")]
    [InlineData("@example.com")]
    [InlineData("two@@example.com")]
    [InlineData("with space@example.com")]
    public async Task Create_BadEmail_Returns400NamingEmail(string? email)
    {
        var result = await Service.CreateAsync(Callers.Admin(OrgId), new NewPerson(email));

        Assert.Equal((FailureKind.Invalid, "email", "invalid-email"), (result.Failure!.Kind, result.Failure.Field, result.Failure.Code));
    }

    [Fact]
    public async Task Create_EmailAlreadyInTheOrgInAnotherCase_Returns409EmailTaken()
    {
        // Arrange
        people.Setup(p => p.FindByEmailAsync(OrgId, "rita@example.com", It.IsAny<CancellationToken>())).ReturnsAsync([rep with { Email = "RITA@example.com" }]);

        // Act
        var result = await Service.CreateAsync(Callers.Admin(OrgId), new NewPerson(" rita@example.com "));

        // Assert
        Assert.Equal((FailureKind.Conflict, "email-taken", "email"), (result.Failure!.Kind, result.Failure.Code, result.Failure.Field));
        people.Verify(p => p.CreateOrGetAsync(It.IsAny<Person>(), It.IsAny<CancellationToken>()), Times.Never);
        Assert.Empty(audited);
    }

    [Fact]
    public async Task Create_UnknownGroup_Returns400NamingPermissionGroupId()
    {
        var result = await Service.CreateAsync(Callers.Admin(OrgId), new NewPerson("new@example.com", PermissionGroupId: "nope"));

        Assert.Equal(("permissionGroupId", "unknown-permission-group"), (result.Failure!.Field, result.Failure.Code));
    }

    [Fact]
    public async Task Create_OnlyAnEmail_AddsAPlaceholderWithTheOrgDefaultsAndAudits()
    {
        // Arrange
        orgs.Setup(o => o.GetAsync(OrgId, It.IsAny<CancellationToken>())).ReturnsAsync(new OrgSettings
        {
            OrgId = OrgId, Name = "Org", DefaultPermissionGroupId = "phone-only", DefaultCallingPreference = CallingMethod.Computer,
        });
        people.Setup(p => p.FindByEmailAsync(OrgId, "new.rep@example.com", It.IsAny<CancellationToken>())).ReturnsAsync([]);
        people.Setup(p => p.CreateOrGetAsync(It.IsAny<Person>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((Person p, CancellationToken _) => (p with { Version = "v1" }, true));

        // Act
        var result = await Service.CreateAsync(Callers.Admin(OrgId), new NewPerson("new.rep@example.com"));

        // Assert
        var person = result.Value!;
        Assert.True(person.AwaitingSignIn);
        Assert.Equal(("new.rep", "phone-only", CallingMethod.Computer, (string?)null), (person.DisplayName, person.PermissionGroupId, person.CallingPreference, person.TeamId));
        Assert.Equal(["person.added"], audited);
    }
}
