using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Playbooks.Calling.Audit;
using Playbooks.Calling.CallerIds;
using Playbooks.Calling.Orgs;
using Playbooks.Calling.PermissionGroups;
using Playbooks.Calling.People;
using Playbooks.Calling.Permissions;
using Playbooks.Calling.Teams;

namespace Playbooks.Calling.OrgDirectory;

public static class DirectoryServiceCollectionExtensions
{
    /// <summary>
    /// Orgs, permission groups, teams, people and audit. Needs the <c>TableServiceClient</c> from AddPlaybooksStorage, and (for agent phone verification) AddPlaybooksTwilio and AddPlaybooksCalls.
    /// Nothing is cached, so a permission change applies on the next request.
    /// </summary>
    public static IServiceCollection AddPlaybooksDirectory(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<OrgStore>();
        services.AddSingleton<PermissionGroupStore>();
        services.AddSingleton<TeamStore>();
        services.AddSingleton<PersonStore>();
        services.AddSingleton<AuditStore>();
        services.AddSingleton<AuditService>();
        services.AddSingleton<ManagementScopes>();
        services.AddSingleton<CallingAccess>();
        services.AddSingleton<MeService>();
        services.AddSingleton<PeopleService>();
        services.AddSingleton<TeamsService>();
        services.AddSingleton<PermissionGroupService>();
        services.AddSingleton<OrgService>();
        services.AddSingleton<SupportOrgService>();
        services.AddSingleton<CallerIdStore>();
        return services;
    }
}
