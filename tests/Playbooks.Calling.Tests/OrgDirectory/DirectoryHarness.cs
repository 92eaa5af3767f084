using Azure.Data.Tables;
using Playbooks.Calling.AgentPhones;
using Playbooks.Calling.Audit;
using Playbooks.Calling.CallerIds;
using Playbooks.Calling.Calls;
using Playbooks.Calling.Orgs;
using Playbooks.Calling.People;
using Playbooks.Calling.PermissionGroups;
using Playbooks.Calling.Permissions;
using Playbooks.Calling.Storage;
using Playbooks.Calling.Teams;
using Playbooks.Calling.Tests.AgentPhones;

namespace Playbooks.Calling.Tests.OrgDirectory;

/// <summary>The real stores and services over Azurite, plus helpers that set up a fresh org.</summary>
internal sealed class DirectoryHarness
{
    public DirectoryHarness(TableServiceClient tables)
    {
        Orgs = new OrgStore(tables);
        Groups = new PermissionGroupStore(tables);
        Teams = new TeamStore(tables);
        People = new PersonStore(tables);
        AuditStore = new AuditStore(tables);
        Audit = new AuditService(AuditStore, TimeProvider.System);
        var scopes = new ManagementScopes(Teams);
        Verifications = new AgentPhoneVerificationStore(tables);
        VerificationService = Verification.Service(Verifications, People, Audit);
        Me = new MeService(Orgs, Groups, People, Audit, new DestinationPolicy(), VerificationService, Teams);
        PeopleService = new PeopleService(scopes, People, Teams, Groups, Orgs, Audit, new DestinationPolicy(), VerificationService);
        TeamsService = new TeamsService(scopes, Teams, People, Audit);
        GroupService = new PermissionGroupService(Groups, People, scopes, Audit, Orgs);
        CallerIds = new CallerIdStore(tables);
        OrgService = new OrgService(Orgs, Audit, CallerIds, Groups);
        SupportOrgs = new SupportOrgService(Orgs, Audit);
        Access = new CallingAccess(Orgs, Groups, People);
    }

    public OrgStore Orgs { get; }
    public CallerIdStore CallerIds { get; }
    public PermissionGroupStore Groups { get; }
    public TeamStore Teams { get; }
    public PersonStore People { get; }
    public AuditStore AuditStore { get; }
    public AuditService Audit { get; }
    public VerificationHarness Verification { get; } = new(DateTimeOffset.UtcNow);
    public AgentPhoneVerificationStore Verifications { get; }
    public AgentPhoneVerificationService VerificationService { get; }
    public MeService Me { get; }
    public PeopleService PeopleService { get; }
    public TeamsService TeamsService { get; }
    public PermissionGroupService GroupService { get; }
    public OrgService OrgService { get; }
    public SupportOrgService SupportOrgs { get; }
    public CallingAccess Access { get; }

    public async Task<string> NewOrgAsync(bool computerCallingEnabled = true)
    {
        var orgId = AzuriteStorage.NewOrgId();
        await Orgs.CreateAsync(new OrgSettings { OrgId = orgId, Name = "Test org", ComputerCallingEnabled = computerCallingEnabled });
        return orgId;
    }

    public Task<PermissionGroup> GroupAsync(string orgId, string id, bool computer, bool phone) =>
        Groups.UpsertAsync(new PermissionGroup { OrgId = orgId, Id = id, Name = id, AllowComputer = computer, AllowPhone = phone });

    public Task<Team> TeamAsync(string orgId, string id, params string[] managers) =>
        Teams.UpsertAsync(new Team { OrgId = orgId, Id = id, Name = id, ManagerUserIds = managers });

    public Task<Person> PersonAsync(string orgId, string userId, string? teamId = null, string? groupId = null,
        CallingMethod preference = CallingMethod.Phone, string? phone = "+15005550001", string? displayName = null, string? email = null) =>
        People.UpsertAsync(new Person
        {
            OrgId = orgId, UserId = userId, DisplayName = displayName ?? userId, Email = email, TeamId = teamId,
            PermissionGroupId = groupId, CallingPreference = preference, AgentPhoneNumber = phone, AgentPhoneVerified = phone is not null,
        });
}
