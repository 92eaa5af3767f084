using Playbooks.Calling.CallerIds;
using Playbooks.Calling.Identity;
using Playbooks.Calling.Orgs;
using Playbooks.Calling.PermissionGroups;
using Playbooks.Calling.People;
using Playbooks.Calling.Teams;

namespace Playbooks.DevServer.DemoOrg;

/// <summary>A seeded user, as the development sign-in lists them.</summary>
public sealed record DemoUser(string UserId, string OrgId, string DisplayName, IReadOnlyList<string> Roles);

/// <summary>
/// The demo org (and its sandbox) with groups, teams and people that exercise every calling rule.
/// Idempotent: every run upserts the same rows, resetting them to the demo state.
/// </summary>
public class DemoOrgSeed(OrgStore orgs, PermissionGroupStore groups, TeamStore teams, PersonStore people, CallerIdStore callerIds)
{
    public const string OrgId = "acme-demo";
    public const string SandboxOrgId = "acme-demo-sandbox";

    /// <summary>Numbers the local Twilio simulator owns; each org holds its own, as Support would assign them.</summary>
    public const string CallerId = "+15005550006";
    public const string SandboxCallerId = "+15005550007";
    public const string BothMethodsGroupId = "both-methods";
    public const string PhoneOnlyGroupId = "phone-only";
    public const string ComputerOnlyGroupId = "computer-only";
    public const string EastTeamId = "east";
    public const string WestTeamId = "west";

    public static IReadOnlyList<DemoUser> Users { get; } =
    [
        new("rep-both", OrgId, "Riley Both (rep)", [AppRoles.Rep]),
        new("rep-phone", OrgId, "Pat Phone (rep)", [AppRoles.Rep]),
        new("rep-computer-only", OrgId, "Casey Computer (rep)", [AppRoles.Rep]),
        new("manager", OrgId, "Morgan Manager", [AppRoles.Manager]),
        new("admin", OrgId, "Alex Admin", [AppRoles.Admin]),
        new("support", OrgId, "Sam Support", [AppRoles.Support]),
        new("rep-sandbox", SandboxOrgId, "Sandy Sandbox (rep)", [AppRoles.Rep]),
    ];

    public virtual async Task SeedAsync(CancellationToken cancellationToken = default)
    {
        await orgs.UpsertAsync(new OrgSettings
        {
            OrgId = OrgId,
            Name = "Acme (demo)",
            ComputerCallingEnabled = true,
            DefaultCallingPreference = CallingMethod.Phone,
            Recording = RecordingMode.RecordFromAnswer,
            CallerId = CallerId,
        }, cancellationToken);
        await orgs.UpsertAsync(new OrgSettings
        {
            OrgId = SandboxOrgId,
            Name = "Acme (demo sandbox)",
            ParentOrgId = OrgId,
            ComputerCallingEnabled = false,
            CallerId = SandboxCallerId,
        }, cancellationToken);
        await callerIds.UpsertAsync(new CallerIdAssignment(CallerId, OrgId, DateTimeOffset.UnixEpoch, "demo-seed"), cancellationToken);
        await callerIds.UpsertAsync(new CallerIdAssignment(SandboxCallerId, SandboxOrgId, DateTimeOffset.UnixEpoch, "demo-seed"), cancellationToken);

        await groups.UpsertAsync(Group(OrgId, BothMethodsGroupId, "Both methods", true, true), cancellationToken);
        await groups.UpsertAsync(Group(OrgId, PhoneOnlyGroupId, "Phone only", false, true), cancellationToken);
        await groups.UpsertAsync(Group(OrgId, ComputerOnlyGroupId, "Computer only", true, false), cancellationToken);
        await groups.UpsertAsync(Group(SandboxOrgId, BothMethodsGroupId, "Both methods", true, true), cancellationToken);

        await teams.UpsertAsync(new Team { OrgId = OrgId, Id = EastTeamId, Name = "East", ManagerUserIds = ["manager"] }, cancellationToken);
        await teams.UpsertAsync(new Team { OrgId = OrgId, Id = WestTeamId, Name = "West" }, cancellationToken);

        await people.UpsertAsync(Person("rep-both", EastTeamId, BothMethodsGroupId, CallingMethod.Computer, "+15005550001"), cancellationToken);
        await people.UpsertAsync(Person("rep-phone", EastTeamId, PhoneOnlyGroupId, CallingMethod.Phone, "+15005550002"), cancellationToken);
        await people.UpsertAsync(Person("rep-computer-only", WestTeamId, ComputerOnlyGroupId, CallingMethod.Computer, null), cancellationToken);
        await people.UpsertAsync(Person("manager", EastTeamId, BothMethodsGroupId, CallingMethod.Computer, "+15005550003"), cancellationToken);
        await people.UpsertAsync(Person("admin", null, BothMethodsGroupId, CallingMethod.Computer, "+15005550004"), cancellationToken);
        await people.UpsertAsync(Person("rep-sandbox", null, BothMethodsGroupId, CallingMethod.Computer, "+15005550005"), cancellationToken);
    }

    private static PermissionGroup Group(string orgId, string id, string name, bool computer, bool phone) =>
        new() { OrgId = orgId, Id = id, Name = name, AllowComputer = computer, AllowPhone = phone };

    private static Person Person(string userId, string? teamId, string groupId, CallingMethod preference, string? agentPhone)
    {
        var user = Users.Single(u => u.UserId == userId);
        return new Person
        {
            OrgId = user.OrgId,
            UserId = user.UserId,
            DisplayName = user.DisplayName,
            Email = $"{user.UserId}@acme.example",
            TeamId = teamId,
            PermissionGroupId = groupId,
            CallingPreference = preference,
            AgentPhoneNumber = agentPhone,
            AgentPhoneVerified = agentPhone is not null, // the demo phones are the simulator's; ./run.sh calls them at once
            Roles = user.Roles,
        };
    }
}
