using Playbooks.Calling.Identity;
using Playbooks.Calling.Orgs;
using Playbooks.Calling.PermissionGroups;
using Playbooks.Calling.People;

namespace Playbooks.Calling.Permissions;

/// <summary>
/// Checks a user's right to call from storage reads at most a few seconds old (<see cref="Storage.DirectoryCache"/>),
/// so a permission change applies within that on every instance without signing out. The app roles are those recorded at the user's latest sign-in,
/// so a role removed in Entra ID stops calls once the user signs in again, at the latest when their token expires.
/// </summary>
public class CallingAccess(OrgStore orgs, PermissionGroupStore groups, PersonStore people)
{
    public const string UnknownUser = "unknown-user";
    public const string RoleCannotCall = "role-cannot-call";

    /// <summary>
    /// The org's own users place calls; Support is vendor staff acting across orgs and does not. A person with no roles
    /// recorded has not signed in since roles were recorded (or was set up by an admin) and is treated as a rep.
    /// </summary>
    public static readonly IReadOnlySet<string> CallingRoles = new HashSet<string> { AppRoles.Rep, AppRoles.Manager, AppRoles.Admin };

    public static bool HasCallingRole(IReadOnlyCollection<string> recordedRoles) =>
        recordedRoles.Count == 0 || recordedRoles.Any(CallingRoles.Contains);

    public virtual async Task<CallingPermission> CheckAsync(string orgId, string userId, CallingMethod method, CancellationToken cancellationToken = default)
    {
        using var recent = Storage.DirectoryCache.ServeRecentReads();
        var orgRead = orgs.GetAsync(orgId, cancellationToken);
        var personRead = people.GetAsync(orgId, userId, cancellationToken);
        await Task.WhenAll(orgRead, personRead);
        var (org, person) = (await orgRead, await personRead);
        if (org is null || person is null)
        {
            return CallingPermission.Refused(UnknownUser, "The user is not known in this org.");
        }
        if (!HasCallingRole(person.Roles))
        {
            return CallingPermission.Refused(RoleCannotCall, "The user's app roles no longer include one that places calls (Rep, Manager or Admin).");
        }
        var group = person.PermissionGroupId is null ? null : await groups.GetAsync(orgId, person.PermissionGroupId, cancellationToken);
        return CallingPreferencePolicy.CanPlaceCalls(org, group, person, method);
    }
}
