using System.Net;
using System.Text.Json;
using Playbooks.DevServer.Tests.Http;

namespace Playbooks.DevServer.Tests.People;

[Collection(DevServerCollection.Name)]
public sealed class PeopleApiTests(DevServerFactory server)
{
    [Fact]
    public async Task SourceScenario_ManagerSetsPhoneOnlyRepToComputer_RepSeesBothThenOnlyPhone()
    {
        var manager = await server.SignedInClientAsync("manager");
        var rep = await server.SignedInClientAsync("rep-phone");
        try
        {
            // 1. The manager sets a user without computer-based permission to computer-based.
            var set = await manager.PatchAsync("/api/admin/people/rep-phone", new { callingPreference = "computer" });
            var edited = await set.JsonAsync(HttpStatusCode.OK);
            Assert.Equal("computer", edited.GetProperty("person").Str("callingPreference"));
            Assert.Equal("group-forbids-computer", Assert.Single(edited.GetProperty("warnings").EnumerateArray()).Str("code"));

            // 2. The user's options are both methods, and computer-based calls are refused with the reason.
            var me = await (await rep.GetAsync("/api/me")).JsonAsync(HttpStatusCode.OK);
            Assert.Equal(["computer", "phone"], me.Strings("callingOptions"));
            var computer = me.GetProperty("canPlaceCalls").GetProperty("computer");
            Assert.False(computer.GetProperty("allowed").GetBoolean());
            Assert.Equal("group-forbids-computer", computer.Str("reason"));

            // 3. The user switches to phone-based; 4. the options are now phone-based only.
            var switched = await (await rep.PutAsync("/api/me/calling-preference", new { preference = "phone" })).JsonAsync(HttpStatusCode.OK);
            Assert.Equal(["phone"], switched.Strings("callingOptions"));
            Assert.Equal(["phone"], (await (await rep.GetAsync("/api/me")).JsonAsync(HttpStatusCode.OK)).Strings("callingOptions"));

            // And they cannot switch back themselves.
            var back = await rep.PutAsync("/api/me/calling-preference", new { preference = "computer" });
            await back.ProblemAsync(HttpStatusCode.Forbidden, "preference-not-permitted");
        }
        finally
        {
            await manager.PatchAsync("/api/admin/people/rep-phone", new { callingPreference = "phone" });
        }
    }

    [Fact]
    public async Task ManagerPaths_TeamsPageAndPeoplePage_EditThroughTheSameApi()
    {
        var manager = await server.SignedInClientAsync("manager");
        try
        {
            // Teams path: team → person → Edit → Calling Preference → Change.
            var team = await (await manager.GetAsync("/api/admin/teams/east/people")).JsonAsync(HttpStatusCode.OK);
            var fromTeam = team.Items().Single(p => p.Str("userId") == "rep-both");
            var viaTeams = await manager.PatchAsync("/api/admin/people/rep-both", new { callingPreference = "phone" }, fromTeam.Str("version"));
            var afterTeams = await viaTeams.JsonAsync(HttpStatusCode.OK);
            Assert.Equal("phone", afterTeams.GetProperty("person").Str("callingPreference"));

            // People path: search → person → Edit, with the version the list shows.
            var found = await (await manager.GetAsync("/api/admin/people?search=riley")).JsonAsync(HttpStatusCode.OK);
            var fromPeople = Assert.Single(found.Items());
            Assert.Equal("phone", fromPeople.Str("callingPreference"));
            var viaPeople = await manager.PatchAsync("/api/admin/people/rep-both", new { callingPreference = "computer" }, fromPeople.Str("version"));
            Assert.Equal("computer", (await viaPeople.JsonAsync(HttpStatusCode.OK)).GetProperty("person").Str("callingPreference"));
            Assert.Equal(viaPeople.ETag(), (await manager.GetAsync("/api/admin/people/rep-both")).ETag());
        }
        finally
        {
            await manager.PatchAsync("/api/admin/people/rep-both", new { callingPreference = "computer" });
        }
    }

    [Fact]
    public async Task GetPerson_ManagedPerson_ReturnsPersonWithETag()
    {
        var manager = await server.SignedInClientAsync("manager");

        var response = await manager.GetAsync("/api/admin/people/rep-phone");

        var person = await response.JsonAsync(HttpStatusCode.OK);
        Assert.Equal("phone-only", person.Str("permissionGroupId"));
        Assert.Equal("east", person.Str("teamId"));
        Assert.Equal(person.Str("version"), response.ETag());
    }

    [Fact]
    public async Task GetPerson_ManagerAsksForAnotherTeamsPerson_Returns404()
    {
        var manager = await server.SignedInClientAsync("manager");

        var response = await manager.GetAsync("/api/admin/people/rep-computer-only");

        await response.ProblemAsync(HttpStatusCode.NotFound, "not-found");
    }

    [Fact]
    public async Task ListPeople_ManagerSearch_FindsOnlyManagedMatches()
    {
        var manager = await server.SignedInClientAsync("manager");

        var pat = await (await manager.GetAsync("/api/admin/people?search=pat")).JsonAsync(HttpStatusCode.OK);
        var casey = await (await manager.GetAsync("/api/admin/people?search=casey")).JsonAsync(HttpStatusCode.OK);

        Assert.Equal(["rep-phone"], pat.Items().Select(p => p.Str("userId")));
        Assert.Empty(casey.Items());
        Assert.Equal(JsonValueKind.Null, casey.GetProperty("continuationToken").ValueKind);
    }

    [Fact]
    public async Task ListPeople_AdminPages_WalksEveryoneOnceWithContinuationTokens()
    {
        var admin = await server.SignedInClientAsync("admin");
        var seen = new List<string>();
        string? token = null;

        do
        {
            var path = "/api/admin/people?pageSize=2" + (token is null ? "" : $"&continuationToken={Uri.EscapeDataString(token)}");
            var page = await (await admin.GetAsync(path)).JsonAsync(HttpStatusCode.OK);
            Assert.True(page.Items().Count <= 2);
            seen.AddRange(page.Items().Select(p => p.Str("userId")));
            token = page.GetProperty("continuationToken").GetString();
        }
        while (token is not null);

        Assert.Superset(new HashSet<string> { "rep-both", "rep-phone", "rep-computer-only", "manager", "admin" }, seen.ToHashSet());
        Assert.Equal(seen.Count, seen.Distinct().Count());
    }

    [Theory]
    [InlineData("pageSize=abc", "pageSize")]
    [InlineData("pageSize=0", "pageSize")]
    [InlineData("continuationToken=%%%", "continuationToken")]
    public async Task ListPeople_BadPaging_Returns400NamingTheParameter(string query, string field)
    {
        var admin = await server.SignedInClientAsync("admin");

        var response = await admin.GetAsync($"/api/admin/people?{query}");

        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest, "invalid-field");
        Assert.Equal(field, problem.Str("field"));
    }

    [Fact]
    public async Task People_Rep_Returns403()
    {
        var rep = await server.SignedInClientAsync("rep-both");

        var list = await rep.GetAsync("/api/admin/people");
        var get = await rep.GetAsync("/api/admin/people/rep-phone");
        var edit = await rep.PatchAsync("/api/admin/people/rep-phone", new { callingPreference = "computer" });

        await list.ProblemAsync(HttpStatusCode.Forbidden, "role-required");
        await get.ProblemAsync(HttpStatusCode.Forbidden, "role-required");
        await edit.ProblemAsync(HttpStatusCode.Forbidden, "role-required");
    }

    [Fact]
    public async Task People_AdminOfAnotherOrg_Gets404AndNoDataForDemoPeople()
    {
        var outsider = await server.SignedInClientAsync("admin-x", "other-org-people", "Admin");

        var get = await outsider.GetAsync("/api/admin/people/rep-phone");
        var patch = await outsider.PatchAsync("/api/admin/people/rep-phone", new { callingPreference = "computer" });
        var search = await (await outsider.GetAsync("/api/admin/people?search=pat")).JsonAsync(HttpStatusCode.OK);

        await get.ProblemAsync(HttpStatusCode.NotFound, "not-found");
        await patch.ProblemAsync(HttpStatusCode.NotFound, "not-found");
        Assert.Empty(search.Items());
    }

    [Fact]
    public async Task PatchPerson_SameETagTwice_SecondReturns412AndKeepsTheFirstEdit()
    {
        var org = await TestOrg.CreateAsync(server);
        await org.RepAsync("rep-1");
        var admin = await org.AdminAsync();
        var etag = (await admin.GetAsync("/api/admin/people/rep-1")).ETag();

        var first = await admin.PatchAsync("/api/admin/people/rep-1", new { agentPhoneNumber = "+14155552671" }, etag);
        var second = await admin.PatchAsync("/api/admin/people/rep-1", new { agentPhoneNumber = "+14155552672" }, etag);

        await first.JsonAsync(HttpStatusCode.OK);
        var problem = await second.ProblemAsync(HttpStatusCode.PreconditionFailed, "stale-edit");
        Assert.Contains("changed by someone else", problem.Str("detail"));
        Assert.Equal("+14155552671", (await (await admin.GetAsync("/api/admin/people/rep-1")).JsonAsync(HttpStatusCode.OK)).Str("agentPhoneNumber"));
    }

    [Theory]
    [InlineData("""{"callingPreference":"fax"}""", "callingPreference")]
    [InlineData("""{"agentPhoneNumber":"not a phone"}""", "agentPhoneNumber")]
    [InlineData("""{"permissionGroupId":"no-such-group"}""", "permissionGroupId")]
    [InlineData("""{"teamId":"no-such-team"}""", "teamId")]
    [InlineData("""{"callingPreference":3}""", "callingPreference")]
    [InlineData("""{"nickname":"Ace"}""", "nickname")]
    public async Task PatchPerson_BadInput_Returns400NamingTheField(string body, string field)
    {
        var org = await TestOrg.CreateAsync(server);
        await org.RepAsync("rep-1");
        var admin = await org.AdminAsync();

        var response = await admin.PatchAsync("/api/admin/people/rep-1", body);

        var problem = await response.JsonAsync(HttpStatusCode.BadRequest);
        Assert.Equal(field, problem.Str("field"));
    }

    [Fact]
    public async Task PatchPerson_AdminSetsGroupAndPhone_OnlyWarningIsTheUnverifiedNumber()
    {
        var org = await TestOrg.CreateAsync(server);
        await org.RepAsync("rep-1");
        var admin = await org.AdminAsync();
        var group = await (await admin.PostAsync("/api/admin/permission-groups",
            System.Net.Http.Json.JsonContent.Create(new { name = "Phone", allowComputer = false, allowPhone = true }))).JsonAsync(HttpStatusCode.Created);

        var response = await admin.PatchAsync("/api/admin/people/rep-1",
            new { permissionGroupId = group.Str("id"), callingPreference = "phone", agentPhoneNumber = "+14155552671" });

        var edited = await response.JsonAsync(HttpStatusCode.OK);
        // Group and preference allow phone calls; the new number still has to be verified by its owner.
        var warning = Assert.Single(edited.GetProperty("warnings").EnumerateArray());
        Assert.Equal("agent-phone-unverified", warning.Str("code"));
        Assert.False(edited.GetProperty("person").GetProperty("agentPhoneVerified").GetBoolean());
        Assert.Equal(group.Str("id"), edited.GetProperty("person").Str("permissionGroupId"));
        Assert.Equal(edited.GetProperty("person").Str("version"), response.ETag());
    }
}
