using System.Net;
using System.Net.Http.Json;
using System.Xml.Linq;
using Microsoft.Extensions.DependencyInjection;
using Playbooks.Calling.Calls;
using Playbooks.Calling.Identity;
using Playbooks.Calling.Orgs;
using Playbooks.Calling.People;
using Playbooks.Calling.PermissionGroups;
using Playbooks.Calling.Teams;
using Playbooks.DevServer.Tests.Calls;
using Playbooks.DevServer.Tests.Http;

namespace Playbooks.DevServer.Tests.Security;

/// <summary>
/// A manager, an admin and a rep of one org try to reach past their scope: a manager through a shared permission
/// group or an admin on their team, a rep after their role was removed, an admin with a change too large to audit.
/// </summary>
[Collection(DevServerCollection.Name)]
public sealed class ScopeAttackTests(CallsDevServerFactory server) : IClassFixture<CallsDevServerFactory>
{
    private const string ManagerId = "mgr-1";
    private const string Prospect = "+12015550123";

    /// <summary>The dev server's Auth:SupportTenantId (appsettings.Development.json): Support counts only from there.</summary>
    private const string SupportTenant = "5a5e1d3c-0000-4000-8000-000000000001";

    private T Service<T>() where T : notnull => server.Services.GetRequiredService<T>();

    /// <summary>An org with team East (managed by <see cref="ManagerId"/>) and team West (not), and a group with members on both.</summary>
    private async Task<(TestOrg Org, HttpClient Manager)> OrgWithTwoTeamsAsync()
    {
        var org = await TestOrg.CreateAsync(server);
        await Service<TeamStore>().UpsertAsync(new Team { OrgId = org.OrgId, Id = "east", Name = "East", ManagerUserIds = [ManagerId] });
        await Service<TeamStore>().UpsertAsync(new Team { OrgId = org.OrgId, Id = "west", Name = "West" });
        await Service<PermissionGroupStore>().UpsertAsync(new PermissionGroup { OrgId = org.OrgId, Id = "shared", Name = "Shared", AllowPhone = true });
        await Service<PermissionGroupStore>().UpsertAsync(new PermissionGroup { OrgId = org.OrgId, Id = "east-only", Name = "East only", AllowPhone = true });
        await PersonAsync(org.OrgId, "east-rep", "east", "shared");
        await PersonAsync(org.OrgId, "west-rep-1", "west", "shared");
        await PersonAsync(org.OrgId, "west-rep-2", "west", "shared");
        await PersonAsync(org.OrgId, "east-rep-2", "east", "east-only");
        return (org, await server.SignedInClientAsync(ManagerId, org.OrgId, AppRoles.Manager));
    }

    private Task<Person> PersonAsync(string orgId, string userId, string? teamId, string? groupId) =>
        Service<PersonStore>().UpsertAsync(new Person
        {
            OrgId = orgId, UserId = userId, DisplayName = userId, TeamId = teamId, PermissionGroupId = groupId,
            CallingPreference = CallingMethod.Phone, AgentPhoneNumber = "+15005550001", Roles = [AppRoles.Rep],
        });

    [Fact]
    public async Task Manager_ChangesGroupWithMembersOutsideTheirTeams_Returns403NamingTheCountAndChangesNothing()
    {
        // Arrange
        var (org, manager) = await OrgWithTwoTeamsAsync();

        // Act
        var response = await manager.PutAsync("/api/admin/permission-groups/shared", new { name = "Shared", allowComputer = true, allowPhone = true });

        // Assert
        var problem = await response.ProblemAsync(HttpStatusCode.Forbidden, "group-has-members-outside-your-teams");
        Assert.Equal(2, problem.GetProperty("membersOutsideYourTeams").GetInt32());
        Assert.Contains("2 of its members", problem.Str("detail"));
        var stored = await Service<PermissionGroupStore>().GetAsync(org.OrgId, "shared");
        Assert.False(stored!.AllowComputer);
    }

    [Fact]
    public async Task Manager_DeletesGroupWithMembersOutsideTheirTeams_Returns403NamingTheCountAndKeepsIt()
    {
        // Arrange
        var (org, manager) = await OrgWithTwoTeamsAsync();

        // Act
        var response = await manager.SendAsync(HttpMethod.Delete, "/api/admin/permission-groups/shared");

        // Assert
        var problem = await response.ProblemAsync(HttpStatusCode.Forbidden, "group-has-members-outside-your-teams");
        Assert.Equal(2, problem.GetProperty("membersOutsideYourTeams").GetInt32());
        Assert.NotNull(await Service<PermissionGroupStore>().GetAsync(org.OrgId, "shared"));
    }

    [Fact]
    public async Task Manager_ChangesGroupWhoseMembersAreAllOnTheirTeams_SavesAndIsAudited()
    {
        // Arrange
        var (org, manager) = await OrgWithTwoTeamsAsync();

        // Act
        var response = await manager.PutAsync("/api/admin/permission-groups/east-only", new { name = "East only", allowComputer = true, allowPhone = true });

        // Assert
        var group = await response.JsonAsync(HttpStatusCode.OK);
        Assert.True(group.GetProperty("allowComputer").GetBoolean());
        var admin = await org.AdminAsync();
        var latest = (await (await admin.GetAsync("/api/admin/audit?pageSize=1")).JsonAsync(HttpStatusCode.OK)).Items().Single();
        Assert.Equal(("permission-group.updated", ManagerId, "applied"), (latest.Str("action"), latest.Str("actorUserId"), latest.Str("state")));
    }

    [Fact]
    public async Task Manager_EditsAnAdminsAgentPhoneOrPreference_Returns403AndChangesNothing()
    {
        // Arrange: an admin signs in (their roles are recorded) and puts themselves on the manager's team.
        var (org, manager) = await OrgWithTwoTeamsAsync();
        var admin = await org.AdminAsync("adm-1");
        (await admin.GetAsync("/api/me")).EnsureSuccessStatusCode();
        await (await admin.PatchAsync("/api/admin/people/adm-1", new { teamId = "east", agentPhoneNumber = "+12015550144" })).JsonAsync(HttpStatusCode.OK);

        // Act
        var phone = await manager.PatchAsync("/api/admin/people/adm-1", new { agentPhoneNumber = "+19005550000" });
        var preference = await manager.PatchAsync("/api/admin/people/adm-1", new { callingPreference = "computer" });

        // Assert
        await phone.ProblemAsync(HttpStatusCode.Forbidden, "person-is-admin-or-support");
        await preference.ProblemAsync(HttpStatusCode.Forbidden, "person-is-admin-or-support");
        var stored = (await Service<PersonStore>().GetAsync(org.OrgId, "adm-1"))!;
        Assert.Equal("+12015550144", stored.AgentPhoneNumber);
        Assert.Equal([AppRoles.Admin], stored.Roles);
    }

    [Fact]
    public async Task Manager_EditsARepOnTheirTeam_StillSaves()
    {
        // Arrange
        var (org, manager) = await OrgWithTwoTeamsAsync();

        // Act
        var response = await manager.PatchAsync("/api/admin/people/east-rep", new { agentPhoneNumber = "+12015550149" });

        // Assert
        await response.JsonAsync(HttpStatusCode.OK);
        Assert.Equal("+12015550149", (await Service<PersonStore>().GetAsync(org.OrgId, "east-rep"))!.AgentPhoneNumber);
    }

    [Fact]
    public async Task VoiceWebhook_RepWhoseRepRoleWasRemoved_RefusesWithSayAndHangupWithinTheTokensLifetime()
    {
        // Arrange: the rep mints a Voice token while they still have the Rep role, and one call goes through.
        var (orgId, userId) = await server.CreateOrgWithUserAsync(true, true, true, CallingMethod.Computer, "+15005550001");
        var asRep = await server.SignedInClientAsync(userId, orgId, AppRoles.Rep);
        await (await asRep.PostAsync("/api/calls/token", null)).JsonAsync(HttpStatusCode.OK);
        var before = await TwimlAsync(orgId, userId);

        // Act: the Rep role is removed; their next sign-in carries only Support, and the still-valid Voice token dials.
        var withoutRep = await server.SignedInFromTenantAsync(SupportTenant, userId, orgId, AppRoles.Support);
        (await withoutRep.GetAsync("/api/me")).EnsureSuccessStatusCode();
        var after = await TwimlAsync(orgId, userId);
        var reminted = await withoutRep.PostAsync("/api/calls/token", null);

        // Assert
        Assert.NotNull(before.Element("Dial"));
        Assert.Equal(["Say", "Hangup"], after.Elements().Select(e => e.Name.LocalName));
        Assert.Contains("no longer has a role", after.Element("Say")!.Value, StringComparison.Ordinal);
        Assert.DoesNotContain(after.Descendants(), e => e.Name.LocalName is "Dial" or "Number");
        await reminted.ProblemAsync(HttpStatusCode.Forbidden, "role-cannot-call");
    }

    [Fact]
    public async Task VoiceWebhook_RoleRestored_CallsAgain()
    {
        // Arrange
        var (orgId, userId) = await server.CreateOrgWithUserAsync(true, true, true, CallingMethod.Computer, "+15005550001");
        (await (await server.SignedInFromTenantAsync(SupportTenant, userId, orgId, AppRoles.Support)).GetAsync("/api/me")).EnsureSuccessStatusCode();
        var refused = await TwimlAsync(orgId, userId);

        // Act
        (await (await server.SignedInClientAsync(userId, orgId, AppRoles.Rep)).GetAsync("/api/me")).EnsureSuccessStatusCode();
        var allowed = await TwimlAsync(orgId, userId);

        // Assert
        Assert.Null(refused.Element("Dial"));
        Assert.Equal(Prospect, allowed.Element("Dial")!.Element("Number")!.Value);
    }

    [Fact]
    public async Task Admin_SavesACrmSettingTooLargeToAudit_Returns400WithoutSavingAndTheAuditLogHasNoGap()
    {
        // Arrange
        var org = await TestOrg.CreateAsync(server);
        var admin = await org.AdminAsync();
        var hugeTenant = new string('x', 32_700) + ".onmicrosoft.com";

        // Act
        var oversized = await admin.PutAsync("/api/admin/crm", new
        {
            provider = "dynamics",
            instanceUrl = "https://acme.crm.dynamics.com",
            tenantId = hugeTenant,
            clientId = Guid.NewGuid().ToString(),
        });
        var afterwards = await admin.PutAsync("/api/admin/crm", new
        {
            provider = "dynamics",
            instanceUrl = "https://acme.crm.dynamics.com",
            tenantId = "acme.onmicrosoft.com",
            clientId = Guid.NewGuid().ToString(),
        });

        // Assert: refused as bad input, never a 500; the setting kept; the next change saved and audited.
        Assert.Equal(HttpStatusCode.BadRequest, oversized.StatusCode);
        Assert.Equal("application/problem+json", oversized.Content.Headers.ContentType?.MediaType);
        await afterwards.JsonAsync(HttpStatusCode.OK);
        var setting = await (await admin.GetAsync("/api/admin/crm")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("acme.onmicrosoft.com", setting.Str("tenantId"));
        var entries = (await (await admin.GetAsync("/api/admin/audit")).JsonAsync(HttpStatusCode.OK)).Items();
        Assert.Equal(["crm.updated", "org.created"], entries.Select(e => e.Str("action")));
        Assert.All(entries, e => Assert.Equal("applied", e.Str("state")));
        Assert.Contains("acme.onmicrosoft.com", entries[0].Str("after"));
    }

    public static TheoryData<string, string, string, string> OversizedFields => new()
    {
        // method, path, JSON body with {BIG} for a 40,000-character value, the field the 400 names
        { "POST", "/api/admin/permission-groups", """{"name":"{BIG}","allowComputer":true,"allowPhone":true}""", "name" },
        { "PATCH", "/api/admin/org", """{"name":"{BIG}"}""", "name" },
        { "PATCH", "/api/admin/org", """{"callerId":"{BIG}"}""", "callerId" },
        { "PATCH", "/api/admin/org", """{"edges":["{BIG}"]}""", "edges" },
        { "PATCH", "/api/admin/org", """{"codecPreferences":["pcmu","{BIG}"]}""", "codecPreferences" },
        { "PATCH", "/api/admin/org", """{"allowedCountries":["US","{BIG}"]}""", "allowedCountries" },
        { "PATCH", "/api/admin/people/admin-1", """{"agentPhoneNumber":"{BIG}"}""", "agentPhoneNumber" },
        { "PATCH", "/api/admin/people/admin-1", """{"teamId":"{BIG}"}""", "teamId" },
        { "PATCH", "/api/admin/people/admin-1", """{"permissionGroupId":"{BIG}"}""", "permissionGroupId" },
        { "PATCH", "/api/admin/people/admin-1", """{"callingPreference":"{BIG}"}""", "callingPreference" },
        { "PATCH", "/api/me", """{"agentPhoneNumber":"{BIG}"}""", "agentPhoneNumber" },
        { "PUT", "/api/calls/CA0123456789abcdef0123456789abcdef/disposition", """{"disposition":"connected","notes":"{BIG}"}""", "notes" },
        { "POST", "/api/quality-reports", """{"callSid":"CA0123456789abcdef0123456789abcdef","score":2,"issues":[],"comment":"{BIG}","samples":[]}""", "comment" },
        { "POST", "/api/quality-reports", """{"callSid":"CA0123456789abcdef0123456789abcdef","score":2,"issues":["{BIG}"],"samples":[]}""", "issues" },
    };

    [Theory]
    [MemberData(nameof(OversizedFields))]
    public async Task Admin_SendsAnOversizedField_Returns400NamingItAndNothingIsAudited(string method, string path, string json, string field)
    {
        // Arrange
        var org = await TestOrg.CreateAsync(server);
        var admin = await org.AdminAsync();
        (await admin.GetAsync("/api/me")).EnsureSuccessStatusCode();
        var before = (await (await admin.GetAsync("/api/admin/audit")).JsonAsync(HttpStatusCode.OK)).Items().Count;

        // Act
        var response = await admin.SendAsync(new HttpMethod(method), path, json.Replace("{BIG}", new string('9', 40_000)));

        // Assert
        var problem = await response.JsonAsync(HttpStatusCode.BadRequest);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(field, problem.Str("field"));
        var after = (await (await admin.GetAsync("/api/admin/audit")).JsonAsync(HttpStatusCode.OK)).Items().Count;
        Assert.Equal(before, after);
    }

    private async Task<XElement> TwimlAsync(string orgId, string userId)
    {
        var form = new Dictionary<string, string>
        {
            ["AccountSid"] = "AC00000000000000000000000000000de7",
            ["CallSid"] = "CA" + Guid.NewGuid().ToString("N"),
            ["From"] = "client:" + ClientIdentity.Encode(orgId, userId).Value,
            ["To"] = Prospect,
        };
        var response = await server.PostWebhookAsync("/api/twilio/voice", form);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return XDocument.Parse(await response.Content.ReadAsStringAsync()).Root!;
    }
}
