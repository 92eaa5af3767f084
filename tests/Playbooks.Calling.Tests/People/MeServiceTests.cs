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

public class MeServiceTests
{
    private const string OrgId = "org-1";
    private readonly Mock<OrgStore> orgs = StoreMocks.Of<OrgStore>();
    private readonly Mock<PermissionGroupStore> groups = StoreMocks.Of<PermissionGroupStore>();
    private readonly Mock<PersonStore> people = StoreMocks.Of<PersonStore>();
    private readonly Mock<TeamStore> teams = StoreMocks.Of<TeamStore>();
    private readonly List<string> audited = [];
    private readonly Mock<AuditService> audit;

    public MeServiceTests()
    {
        audit = StoreMocks.Audit(audited);
        orgs.Setup(o => o.GetAsync(OrgId, It.IsAny<CancellationToken>()))
            .ReturnsAsync(new OrgSettings { OrgId = OrgId, Name = "Org", ComputerCallingEnabled = true, DefaultCallingPreference = CallingMethod.Computer, Version = "v-org" });
    }

    private readonly List<Person> verificationsStarted = [];

    private MeService Service => new(orgs.Object, groups.Object, people.Object, audit.Object, new DestinationPolicy(),
        VerificationHarness.StrictService(verificationsStarted).Object, teams.Object);

    private Person GivenPerson(CallingMethod preference, bool allowComputer, bool allowPhone, string? phone = "+15005550001")
    {
        var person = new Person
        {
            OrgId = OrgId, UserId = "rep-1", DisplayName = "Rita Rep", PermissionGroupId = "g1",
            CallingPreference = preference, AgentPhoneNumber = phone, AgentPhoneVerified = phone is not null, Version = "v1", Roles = [AppRoles.Rep],
        };
        people.Setup(p => p.GetAsync(OrgId, "rep-1", It.IsAny<CancellationToken>())).ReturnsAsync(person);
        groups.Setup(g => g.GetAsync(OrgId, "g1", It.IsAny<CancellationToken>()))
            .ReturnsAsync(new PermissionGroup { OrgId = OrgId, Id = "g1", Name = "G1", AllowComputer = allowComputer, AllowPhone = allowPhone });
        return person;
    }

    [Fact]
    public async Task GetProfile_FirstSignInWithNoDefaultGroup_CreatesPersonWithOrgDefaultWhoCanCallWithIt()
    {
        // Arrange
        people.Setup(p => p.GetAsync(OrgId, "rep-1", It.IsAny<CancellationToken>())).ReturnsAsync((Person?)null);
        people.Setup(p => p.CreateOrGetAsync(It.Is<Person>(x => x.CallingPreference == CallingMethod.Computer && x.PermissionGroupId == null), It.IsAny<CancellationToken>()))
            .ReturnsAsync((Person p, CancellationToken _) => (p with { Version = "v1" }, true));

        // Act
        var result = await Service.GetProfileAsync(Callers.Rep(OrgId));

        // Assert
        Assert.True(result.IsSuccess);
        Assert.Equal(CallingMethod.Computer, result.Value!.CallingPreference);
        Assert.True(result.Value.CanPlaceCalls.Computer.Allowed);
        Assert.Equal("no-permission-group", result.Value.CanPlaceCalls.Phone.Reason);
        Assert.Equal([CallingMethod.Computer], result.Value.CallingOptions);
        Assert.Equal(["person.created"], audited);
    }

    [Fact]
    public async Task GetProfile_FirstSignInWithADefaultGroup_CreatesPersonInThatGroupWithTheTokensEmail()
    {
        // Arrange
        orgs.Setup(o => o.GetAsync(OrgId, It.IsAny<CancellationToken>()))
            .ReturnsAsync(new OrgSettings { OrgId = OrgId, Name = "Org", DefaultPermissionGroupId = "g1", Version = "v-org" });
        groups.Setup(g => g.GetAsync(OrgId, "g1", It.IsAny<CancellationToken>()))
            .ReturnsAsync(new PermissionGroup { OrgId = OrgId, Id = "g1", Name = "G1", AllowComputer = true, AllowPhone = true });
        people.Setup(p => p.GetAsync(OrgId, "rep-1", It.IsAny<CancellationToken>())).ReturnsAsync((Person?)null);
        people.Setup(p => p.FindByEmailAsync(OrgId, "rita@example.com", It.IsAny<CancellationToken>())).ReturnsAsync([]);
        people.Setup(p => p.CreateOrGetAsync(It.Is<Person>(x => x.PermissionGroupId == "g1" && x.Email == "rita@example.com"), It.IsAny<CancellationToken>()))
            .ReturnsAsync((Person p, CancellationToken _) => (p with { Version = "v1" }, true));

        // Act
        var result = await Service.GetProfileAsync(Callers.Rep(OrgId) with { Email = "rita@example.com" });

        // Assert
        Assert.Equal("g1", result.Value!.User.PermissionGroupId);
        Assert.Equal([CallingMethod.Computer, CallingMethod.Phone], result.Value.CallingOptions);
        Assert.Equal(["person.created"], audited);
    }

    [Fact]
    public async Task GetProfile_FirstSignInMatchingAPersonAnAdminAdded_ClaimsThatRecordKeepingWhatTheAdminSet()
    {
        // Arrange
        var added = new Person
        {
            OrgId = OrgId, UserId = "added-abc", DisplayName = "Rita R.", Email = "Rita@Example.com", TeamId = "east",
            PermissionGroupId = "g1", CallingPreference = CallingMethod.Phone, Version = "v-added",
        };
        people.Setup(p => p.GetAsync(OrgId, "rep-1", It.IsAny<CancellationToken>())).ReturnsAsync((Person?)null);
        people.Setup(p => p.FindByEmailAsync(OrgId, "rita@example.com", It.IsAny<CancellationToken>())).ReturnsAsync([added]);
        people.Setup(p => p.ClaimAsync(added, It.Is<Person>(x => x.UserId == "rep-1"), It.IsAny<CancellationToken>()))
            .ReturnsAsync((Person _, Person claimed, CancellationToken _) => claimed with { Version = "v2" });
        groups.Setup(g => g.GetAsync(OrgId, "g1", It.IsAny<CancellationToken>()))
            .ReturnsAsync(new PermissionGroup { OrgId = OrgId, Id = "g1", Name = "G1", AllowPhone = true });
        teams.Setup(t => t.ListManagedByAsync(OrgId, "added-abc", It.IsAny<CancellationToken>())).ReturnsAsync([]);

        // Act
        var result = await Service.GetProfileAsync(Callers.Rep(OrgId) with { Email = "rita@example.com" });

        // Assert
        var user = result.Value!.User;
        Assert.Equal(("rep-1", "Rita R.", "east", "g1"), (user.UserId, user.DisplayName, user.TeamId, user.PermissionGroupId));
        Assert.Equal(CallingMethod.Phone, result.Value.CallingPreference);
        Assert.Equal(["person.claimed"], audited);
        people.Verify(p => p.CreateOrGetAsync(It.IsAny<Person>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task GetProfile_ClaimOfAPersonAddedAsTeamManager_TeamsNameTheRealUserIdAudited()
    {
        // Arrange
        var added = new Person
        {
            OrgId = OrgId, UserId = "added-abc", DisplayName = "Mia M.", Email = "mia@example.com", Version = "v-added",
        };
        people.Setup(p => p.GetAsync(OrgId, "mgr-1", It.IsAny<CancellationToken>())).ReturnsAsync((Person?)null);
        people.Setup(p => p.FindByEmailAsync(OrgId, "mia@example.com", It.IsAny<CancellationToken>())).ReturnsAsync([added]);
        people.Setup(p => p.ClaimAsync(added, It.Is<Person>(x => x.UserId == "mgr-1"), It.IsAny<CancellationToken>()))
            .ReturnsAsync((Person _, Person claimed, CancellationToken _) => claimed with { Version = "v2" });
        var east = new Team { OrgId = OrgId, Id = "east", Name = "East", ManagerUserIds = ["boss", "added-abc"], Version = "v-east" };
        teams.Setup(t => t.ListManagedByAsync(OrgId, "added-abc", It.IsAny<CancellationToken>())).ReturnsAsync([east]);
        var saved = new List<Team>();
        teams.Setup(t => t.UpdateAsync(Capture.In(saved), "v-east", It.IsAny<CancellationToken>()))
            .ReturnsAsync((Team t, string _, CancellationToken _) => t with { Version = "v-east-2" });

        // Act
        var result = await Service.GetProfileAsync(Callers.Manager(OrgId, "mgr-1") with { Email = "mia@example.com" });

        // Assert
        Assert.Equal("mgr-1", result.Value!.User.UserId);
        Assert.Equal(["boss", "mgr-1"], Assert.Single(saved).ManagerUserIds);
        Assert.Equal(["person.claimed", "team.manager-claimed"], audited);
    }

    [Fact]
    public async Task GetProfile_SupportStaffWithNoOrgOfTheirOwn_AnswersAProfileThatPlacesNoCallsAndStoresNothing()
    {
        // Arrange
        orgs.Setup(o => o.GetAsync("vendor", It.IsAny<CancellationToken>())).ReturnsAsync((OrgSettings?)null);
        // The person is read together with the org; there is none.
        people.Setup(p => p.GetAsync("vendor", "support-1", It.IsAny<CancellationToken>())).ReturnsAsync((Person?)null);

        // Act
        var result = await Service.GetProfileAsync(Callers.Support("vendor"));

        // Assert
        Assert.Equal(["Support"], result.Value!.Roles);
        Assert.Equal(MeService.SupportStaffOrgName, result.Value.Org.Name);
        Assert.Empty(result.Value.CallingOptions);
        Assert.Equal("role-cannot-call", result.Value.CanPlaceCalls.Computer.Reason);
        Assert.Empty(audited);
    }

    [Fact]
    public async Task GetProfile_RepWithNoOrg_ReturnsNotFound()
    {
        orgs.Setup(o => o.GetAsync("nowhere", It.IsAny<CancellationToken>())).ReturnsAsync((OrgSettings?)null);
        people.Setup(p => p.GetAsync("nowhere", "rep-1", It.IsAny<CancellationToken>())).ReturnsAsync((Person?)null);

        var result = await Service.GetProfileAsync(Callers.Rep("nowhere"));

        Assert.Equal(FailureKind.NotFound, result.Failure!.Kind);
    }

    [Fact]
    public async Task GetProfile_FirstSignInWithAVeryLongDisplayName_StoresItCutToTheNameLimit()
    {
        // Arrange
        var caller = new Caller(OrgId, "rep-1", new string('n', 5_000), new HashSet<string> { AppRoles.Rep });
        people.Setup(p => p.GetAsync(OrgId, "rep-1", It.IsAny<CancellationToken>())).ReturnsAsync((Person?)null);
        people.Setup(p => p.CreateOrGetAsync(It.Is<Person>(x => x.DisplayName.Length == Validation.MaxNameLength), It.IsAny<CancellationToken>()))
            .ReturnsAsync((Person p, CancellationToken _) => (p with { Version = "v1" }, true));

        // Act
        var result = await Service.GetProfileAsync(caller);

        // Assert
        Assert.Equal(Validation.MaxNameLength, result.Value!.User.DisplayName.Length);
        Assert.Equal(["person.created"], audited);
    }

    [Fact]
    public async Task GetProfile_ExistingPersonWithOtherRoles_RecordsTheTokensRolesOnce()
    {
        // Arrange
        var person = GivenPerson(CallingMethod.Phone, allowComputer: false, allowPhone: true);
        var caller = new Caller(OrgId, "rep-1", "Rita Rep", new HashSet<string> { AppRoles.Support, AppRoles.Manager });
        people.Setup(p => p.UpdateAsync(It.Is<Person>(x => x.Roles.SequenceEqual(new[] { "Manager", "Support" })), "v1", It.IsAny<CancellationToken>()))
            .ReturnsAsync((Person p, string _, CancellationToken _) => p with { Version = "v2" });

        // Act
        var result = await Service.GetProfileAsync(caller);

        // Assert
        Assert.Equal("v2", result.Value!.Version);
        people.Verify(p => p.UpdateAsync(It.IsAny<Person>(), It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Once);
        Assert.Empty(audited);
    }

    [Fact]
    public async Task GetProfile_ExistingPerson_ReportsOptionsAndPermissionsWithoutWriting()
    {
        GivenPerson(CallingMethod.Phone, allowComputer: false, allowPhone: true);

        var result = await Service.GetProfileAsync(Callers.Rep(OrgId));

        Assert.Equal([CallingMethod.Phone], result.Value!.CallingOptions);
        Assert.True(result.Value.CanPlaceCalls.Phone.Allowed);
        Assert.Equal("group-forbids-computer", result.Value.CanPlaceCalls.Computer.Reason);
        Assert.Equal("v1", result.Value.Version);
        Assert.Empty(audited);
    }

    [Fact]
    public async Task SetMyPreference_GroupForbidsComputer_Returns403PreferenceNotPermitted()
    {
        GivenPerson(CallingMethod.Phone, allowComputer: false, allowPhone: true);

        var result = await Service.SetMyPreferenceAsync(Callers.Rep(OrgId), "computer");

        Assert.Equal(FailureKind.Forbidden, result.Failure!.Kind);
        Assert.Equal("preference-not-permitted", result.Failure.Code);
        people.Verify(p => p.UpdateAsync(It.IsAny<Person>(), It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task SetMyPreference_UnknownValue_Returns400NamingPreference()
    {
        var result = await Service.SetMyPreferenceAsync(Callers.Rep(OrgId), "fax");

        Assert.Equal(FailureKind.Invalid, result.Failure!.Kind);
        Assert.Equal("preference", result.Failure.Field);
    }

    [Fact]
    public async Task SetMyPreference_AllowedMethod_SavesWithReadVersionAndAudits()
    {
        GivenPerson(CallingMethod.Computer, allowComputer: false, allowPhone: true);
        people.Setup(p => p.UpdateAsync(It.Is<Person>(x => x.CallingPreference == CallingMethod.Phone), "v1", It.IsAny<CancellationToken>()))
            .ReturnsAsync((Person p, string _, CancellationToken _) => p with { Version = "v2" });

        var result = await Service.SetMyPreferenceAsync(Callers.Rep(OrgId), "phone");

        Assert.Equal(CallingMethod.Phone, result.Value!.CallingPreference);
        Assert.Equal([CallingMethod.Phone], result.Value.CallingOptions);
        Assert.Equal(["person.calling-preference-changed"], audited);
    }

    [Fact]
    public async Task SetMyAgentPhone_NationalFormat_SavesE164()
    {
        GivenPerson(CallingMethod.Phone, allowComputer: true, allowPhone: true, phone: null);
        people.Setup(p => p.UpdateAsync(It.Is<Person>(x => x.AgentPhoneNumber == "+12025550143"), "v1", It.IsAny<CancellationToken>()))
            .ReturnsAsync((Person p, string _, CancellationToken _) => p with { Version = "v2" });

        var result = await Service.SetMyAgentPhoneAsync(Callers.Rep(OrgId), "(202) 555-0143");

        Assert.Equal("+12025550143", result.Value!.AgentPhoneNumber);
        Assert.Equal("agent-phone-unverified", result.Value.CanPlaceCalls.Phone.Reason);
        Assert.Equal("+12025550143", Assert.Single(verificationsStarted).AgentPhoneNumber);
    }

    [Fact]
    public async Task SetMyAgentPhone_Garbage_Returns400NamingAgentPhoneNumber()
    {
        var result = await Service.SetMyAgentPhoneAsync(Callers.Rep(OrgId), "call me maybe");

        Assert.Equal("agentPhoneNumber", result.Failure!.Field);
        Assert.Equal(DestinationPolicy.Malformed, result.Failure.Code);
    }
}
