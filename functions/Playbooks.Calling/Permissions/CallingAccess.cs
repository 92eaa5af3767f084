using Playbooks.Calling.Orgs;
using Playbooks.Calling.PermissionGroups;
using Playbooks.Calling.People;

namespace Playbooks.Calling.Permissions;

/// <summary>
/// Checks a user's right to call from fresh storage reads (no cache), so a permission change applies on the
/// next token mint or TwiML request without signing out.
/// </summary>
public class CallingAccess(OrgStore orgs, PermissionGroupStore groups, PersonStore people)
{
    public const string UnknownUser = "unknown-user";

    public virtual async Task<CallingPermission> CheckAsync(string orgId, string userId, CallingMethod method, CancellationToken cancellationToken = default)
    {
        var org = await orgs.GetAsync(orgId, cancellationToken);
        var person = await people.GetAsync(orgId, userId, cancellationToken);
        if (org is null || person is null)
        {
            return CallingPermission.Refused(UnknownUser, "The user is not known in this org.");
        }
        var group = person.PermissionGroupId is null ? null : await groups.GetAsync(orgId, person.PermissionGroupId, cancellationToken);
        return CallingPreferencePolicy.CanPlaceCalls(org, group, person, method);
    }
}
