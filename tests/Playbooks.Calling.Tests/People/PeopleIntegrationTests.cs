using Playbooks.Calling.Orgs;
using Playbooks.Calling.People;
using Playbooks.Calling.Storage;
using Playbooks.Calling.Tests.OrgDirectory;

namespace Playbooks.Calling.Tests.People;

[Collection(AzuriteCollection.Name)]
public class PeopleIntegrationTests(AzuriteStorage storage)
{
    private readonly DirectoryHarness directory = new(storage.Tables);

    [Fact]
    public async Task Get_PersonFromAnotherOrg_Returns404()
    {
        var orgA = await directory.NewOrgAsync();
        var orgB = await directory.NewOrgAsync();
        await directory.PersonAsync(orgA, "rep-a");

        var get = await directory.PeopleService.GetAsync(Callers.Admin(orgB), "rep-a");
        var update = await directory.PeopleService.UpdateAsync(Callers.Admin(orgB), "rep-a", new PersonPatch(CallingPreference: "computer"), null);

        Assert.Equal(FailureKind.NotFound, get.Failure!.Kind);
        Assert.Equal(FailureKind.NotFound, update.Failure!.Kind);
        Assert.Equal(CallingMethod.Phone, (await directory.People.GetAsync(orgA, "rep-a"))!.CallingPreference);
    }

    [Fact]
    public async Task Update_TwoEditsWithSameVersion_SecondGetsPreconditionFailed()
    {
        // Arrange
        var orgId = await directory.NewOrgAsync();
        var person = await directory.PersonAsync(orgId, "rep-1");
        var admin = Callers.Admin(orgId);

        // Act
        var first = await directory.PeopleService.UpdateAsync(admin, "rep-1", new PersonPatch(CallingPreference: "computer"), person.Version);
        var second = await directory.PeopleService.UpdateAsync(admin, "rep-1", new PersonPatch(AgentPhoneNumber: "+14155550109"), person.Version);

        // Assert
        Assert.True(first.IsSuccess);
        Assert.Equal(FailureKind.PreconditionFailed, second.Failure!.Kind);
        var stored = (await directory.People.GetAsync(orgId, "rep-1"))!;
        Assert.Equal(CallingMethod.Computer, stored.CallingPreference);
        Assert.Equal("+15005550001", stored.AgentPhoneNumber);
        Assert.Equal(first.Value!.Person.Version, stored.Version);
    }

    [Fact]
    public async Task List_PagesOfTwo_ReturnEveryoneOnceInOrder()
    {
        var orgId = await directory.NewOrgAsync();
        foreach (var id in new[] { "u5", "u1", "u3", "u2", "u4" })
        {
            await directory.PersonAsync(orgId, id);
        }

        var seen = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = await directory.PeopleService.ListAsync(Callers.Admin(orgId), null, new PageRequest(2, token));
            seen.AddRange(page.Value!.Items.Select(p => p.UserId));
            token = page.Value.ContinuationToken;
            pages++;
        }
        while (token is not null);

        Assert.Equal(["u1", "u2", "u3", "u4", "u5"], seen);
        Assert.Equal(3, pages);
    }

    [Fact]
    public async Task List_SearchAcrossPages_MatchesNameOrEmailIgnoringCase()
    {
        var orgId = await directory.NewOrgAsync();
        await directory.PersonAsync(orgId, "a", displayName: "Jordan Smith");
        await directory.PersonAsync(orgId, "b", displayName: "Kim Lee", email: "kim.SMITHERS@acme.example");
        await directory.PersonAsync(orgId, "c", displayName: "Pat Jones");
        await directory.PersonAsync(orgId, "d", displayName: "Sam Smith");

        var first = await directory.PeopleService.ListAsync(Callers.Admin(orgId), "smith", new PageRequest(2));
        var second = await directory.PeopleService.ListAsync(Callers.Admin(orgId), "smith", new PageRequest(2, first.Value!.ContinuationToken));

        Assert.Equal(["a", "b"], first.Value.Items.Select(p => p.UserId));
        Assert.Equal(["d"], second.Value!.Items.Select(p => p.UserId));
        Assert.Null(second.Value.ContinuationToken);
    }

    [Fact]
    public async Task List_Manager_SeesOnlyPeopleOnTeamsTheyManage()
    {
        var orgId = await directory.NewOrgAsync();
        await directory.TeamAsync(orgId, "east", "manager-1");
        await directory.TeamAsync(orgId, "west");
        await directory.PersonAsync(orgId, "east-rep", teamId: "east");
        await directory.PersonAsync(orgId, "west-rep", teamId: "west");
        await directory.PersonAsync(orgId, "no-team");

        var page = await directory.PeopleService.ListAsync(Callers.Manager(orgId), null, PageRequest.First);
        var other = await directory.PeopleService.GetAsync(Callers.Manager(orgId), "west-rep");

        Assert.Equal(["east-rep"], page.Value!.Items.Select(p => p.UserId));
        Assert.Equal(FailureKind.NotFound, other.Failure!.Kind);
    }

    [Fact]
    public async Task SourceScenario_ManagerSetsComputerThenUserSwitchesToPhone_OptionsShrinkToPhone()
    {
        // Arrange: a phone-only rep on the manager's team.
        var orgId = await directory.NewOrgAsync();
        await directory.TeamAsync(orgId, "east", "manager-1");
        await directory.GroupAsync(orgId, "phone-only", computer: false, phone: true);
        await directory.PersonAsync(orgId, "rep-1", teamId: "east", groupId: "phone-only");
        var rep = Callers.Rep(orgId, "rep-1");

        // Act 1: the manager sets the rep to computer-based calling.
        var set = await directory.PeopleService.UpdateAsync(Callers.Manager(orgId), "rep-1", new PersonPatch(CallingPreference: "computer"), null);
        var afterManager = await directory.Me.GetProfileAsync(rep);

        // Assert 1: saved with a warning; the rep sees both methods and cannot call by computer.
        Assert.Equal("group-forbids-computer", Assert.Single(set.Value!.Warnings).Code);
        Assert.Equal([CallingMethod.Computer, CallingMethod.Phone], afterManager.Value!.CallingOptions);
        Assert.Equal("group-forbids-computer", afterManager.Value.CanPlaceCalls.Computer.Reason);

        // Act 2: the rep switches to phone, then tries to go back to computer.
        var switched = await directory.Me.SetMyPreferenceAsync(rep, "phone");
        var back = await directory.Me.SetMyPreferenceAsync(rep, "computer");

        // Assert 2: only phone is offered, and computer is refused.
        Assert.Equal([CallingMethod.Phone], switched.Value!.CallingOptions);
        Assert.Equal("preference-not-permitted", back.Failure!.Code);
    }

    [Fact]
    public async Task GetProfile_FirstSignInTwice_CreatesOnePersonAndOneAuditEntry()
    {
        var orgId = await directory.NewOrgAsync();
        var rep = Callers.Rep(orgId, "new-rep");

        var first = await directory.Me.GetProfileAsync(rep);
        var second = await directory.Me.GetProfileAsync(rep);

        Assert.Equal(first.Value!.Version, second.Value!.Version);
        Assert.Equal(CallingMethod.Phone, second.Value.CallingPreference);
        Assert.Equal("no-agent-phone", second.Value.CanPlaceCalls.Phone.Reason);
        Assert.Equal("no-permission-group", second.Value.CanPlaceCalls.Computer.Reason);
        var audit = await directory.Audit.ListAsync(Callers.Admin(orgId), PageRequest.First);
        Assert.Equal(["person.created"], audit.Value!.Items.Select(e => e.Action));
    }

    [Fact]
    public async Task Update_AdminChangesGroup_CallingAccessSeesItOnNextCheck()
    {
        var orgId = await directory.NewOrgAsync();
        await directory.GroupAsync(orgId, "phone-only", computer: false, phone: true);
        await directory.GroupAsync(orgId, "both", computer: true, phone: true);
        await directory.PersonAsync(orgId, "rep-1", groupId: "phone-only", preference: CallingMethod.Computer);
        var before = await directory.Access.CheckAsync(orgId, "rep-1", CallingMethod.Computer);

        await directory.PeopleService.UpdateAsync(Callers.Admin(orgId), "rep-1", new PersonPatch(PermissionGroupId: "both"), null);
        var after = await directory.Access.CheckAsync(orgId, "rep-1", CallingMethod.Computer);

        Assert.Equal("group-forbids-computer", before.Reason);
        Assert.True(after.Allowed);
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("W/\"datetime'2001-01-01T00%3A00%3A00.0000000Z'\"")]
    public async Task Update_MalformedOrOldIfMatch_ReturnsPreconditionFailed(string ifMatch)
    {
        var orgId = await directory.NewOrgAsync();
        await directory.PersonAsync(orgId, "rep-1");

        var result = await directory.PeopleService.UpdateAsync(Callers.Admin(orgId), "rep-1", new PersonPatch(CallingPreference: "computer"), ifMatch);

        Assert.Equal(FailureKind.PreconditionFailed, result.Failure!.Kind);
    }

    [Fact]
    public async Task Update_StaleEdit_AuditLogShowsTheAttemptAsNotApplied()
    {
        // Arrange
        var orgId = await directory.NewOrgAsync();
        var person = await directory.PersonAsync(orgId, "rep-1");
        var admin = Callers.Admin(orgId);
        await directory.PeopleService.UpdateAsync(admin, "rep-1", new PersonPatch(CallingPreference: "computer"), person.Version);

        // Act
        var stale = await directory.PeopleService.UpdateAsync(admin, "rep-1", new PersonPatch(AgentPhoneNumber: "+12015550149"), person.Version);

        // Assert
        Assert.Equal(FailureKind.PreconditionFailed, stale.Failure!.Kind);
        var entries = (await directory.Audit.ListAsync(admin, PageRequest.First)).Value!.Items;
        Assert.Equal([("not-applied", "stale-edit"), ("applied", null)], entries.Select(e => (e.State, e.Outcome)));
        Assert.Contains("2015550149", entries[0].After);
    }

    [Fact]
    public async Task GetProfile_RolesChangedSinceLastSignIn_RecordsTheNewRolesOnce()
    {
        // Arrange
        var orgId = await directory.NewOrgAsync();
        await directory.Me.GetProfileAsync(Callers.Rep(orgId, "user-1"));
        var recorded = (await directory.People.GetAsync(orgId, "user-1"))!;
        var asSupport = Callers.Support(orgId, "user-1");

        // Act
        await directory.Me.GetProfileAsync(asSupport);
        var afterFirst = (await directory.People.GetAsync(orgId, "user-1"))!;
        await directory.Me.GetProfileAsync(asSupport);
        var afterSecond = (await directory.People.GetAsync(orgId, "user-1"))!;

        // Assert
        Assert.Equal(["Rep"], recorded.Roles);
        Assert.Equal(["Support"], afterFirst.Roles);
        Assert.NotEqual(recorded.Version, afterFirst.Version);
        Assert.Equal(afterFirst.Version, afterSecond.Version);
    }

    [Fact]
    public async Task CallingAccess_RecordedRolesHaveNoCallingRole_RefusesWithRoleCannotCall()
    {
        // Arrange
        var orgId = await directory.NewOrgAsync();
        await directory.GroupAsync(orgId, "both", computer: true, phone: true);
        await directory.PersonAsync(orgId, "user-1", groupId: "both", preference: CallingMethod.Computer);
        var asRep = await directory.Access.CheckAsync(orgId, "user-1", CallingMethod.Computer);

        // Act
        await directory.Me.GetProfileAsync(Callers.Support(orgId, "user-1"));
        var asSupportOnly = await directory.Access.CheckAsync(orgId, "user-1", CallingMethod.Computer);

        // Assert
        Assert.True(asRep.Allowed);
        Assert.False(asSupportOnly.Allowed);
        Assert.Equal("role-cannot-call", asSupportOnly.Reason);
    }

    [Fact]
    public async Task Update_ManagerEditsAnAdminOnTheirTeam_Returns403AndChangesNothing()
    {
        // Arrange
        var orgId = await directory.NewOrgAsync();
        await directory.TeamAsync(orgId, "east", "manager-1");
        await directory.PersonAsync(orgId, "admin-2", teamId: "east");
        await directory.Me.GetProfileAsync(Callers.Admin(orgId, "admin-2"));
        var manager = Callers.Manager(orgId);

        // Act
        var phone = await directory.PeopleService.UpdateAsync(manager, "admin-2", new PersonPatch(AgentPhoneNumber: "+15005550099"), null);
        var preference = await directory.PeopleService.UpdateAsync(manager, "admin-2", new PersonPatch(CallingPreference: "computer"), null);

        // Assert
        Assert.Equal("person-is-admin-or-support", phone.Failure!.Code);
        Assert.Equal(FailureKind.Forbidden, preference.Failure!.Kind);
        var stored = (await directory.People.GetAsync(orgId, "admin-2"))!;
        Assert.Equal("+15005550001", stored.AgentPhoneNumber);
        Assert.Equal(CallingMethod.Phone, stored.CallingPreference);
    }

    [Fact]
    public async Task GetProfile_FirstSignInOfAPersonAnAdminAdded_ClaimsTheRecordOnceWithNoDuplicate()
    {
        // Arrange
        var orgId = await directory.NewOrgAsync();
        await directory.GroupAsync(orgId, "both", computer: true, phone: true);
        await directory.TeamAsync(orgId, "east");
        var added = await directory.PeopleService.CreateAsync(Callers.Admin(orgId),
            new NewPerson("New.Rep@Example.com", "Nina New", TeamId: "east", PermissionGroupId: "both", CallingPreference: "computer"));
        var rep = Callers.Rep(orgId, "oid-nina") with { DisplayName = "nina (from token)", Email = "new.rep@example.COM" };

        // Act
        var first = await directory.Me.GetProfileAsync(rep);
        var second = await directory.Me.GetProfileAsync(rep);

        // Assert
        Assert.True(added.Value!.AwaitingSignIn);
        var user = first.Value!.User;
        Assert.Equal(("oid-nina", "Nina New", "east", "both"), (user.UserId, user.DisplayName, user.TeamId, user.PermissionGroupId));
        Assert.Equal(CallingMethod.Computer, first.Value.CallingPreference);
        Assert.Equal(first.Value.Version, second.Value!.Version);
        var everyone = await directory.People.ListAsync(orgId, new PeopleFilter(), PageRequest.First);
        Assert.Equal(["oid-nina"], everyone.Items.Select(p => p.UserId));
        var audit = await directory.Audit.ListAsync(Callers.Admin(orgId), PageRequest.First);
        Assert.Equal(["person.added", "person.claimed"], audit.Value!.Items.Select(e => e.Action).Order());
    }

    [Fact]
    public async Task Create_SameEmailTwice_SecondIs409()
    {
        var orgId = await directory.NewOrgAsync();

        var first = await directory.PeopleService.CreateAsync(Callers.Admin(orgId), new NewPerson("dup@example.com"));
        var second = await directory.PeopleService.CreateAsync(Callers.Admin(orgId), new NewPerson("DUP@example.com"));

        Assert.True(first.IsSuccess);
        Assert.Equal("email-taken", second.Failure!.Code);
    }

    [Fact]
    public async Task GetProfile_FirstSignInWithTheOrgsDefaultGroup_JoinsIt()
    {
        var orgId = await directory.NewOrgAsync();
        await directory.GroupAsync(orgId, "starters", computer: false, phone: true);
        await directory.OrgService.UpdateAsync(Callers.Admin(orgId), new OrgSettingsPatch { DefaultPermissionGroupId = "starters" }, null);

        var me = await directory.Me.GetProfileAsync(Callers.Rep(orgId, "fresh"));
        var deleteDefault = await directory.GroupService.DeleteAsync(Callers.Admin(orgId), "starters", null);

        Assert.Equal("starters", me.Value!.User.PermissionGroupId);
        Assert.Equal("group-is-org-default", deleteDefault.Failure!.Code);
    }
}
