using Playbooks.Calling.Audit;
using Playbooks.Calling.Identity;
using Playbooks.Calling.Orgs;
using Playbooks.Calling.People;
using Playbooks.Calling.Storage;
using Playbooks.Calling.Teams;

namespace Playbooks.Calling.PermissionGroups;

/// <summary>
/// Managers and admins manage the org's permission groups ("managers and admins should set which teams have
/// permission"). Names are unique per org, ignoring case. A manager may change or delete a group only while every
/// member of it is on a team they manage, so no manager reaches people outside their teams through a shared group.
/// </summary>
public class PermissionGroupService(PermissionGroupStore groups, PersonStore people, ManagementScopes scopes, AuditService audit, OrgStore orgs)
{
    public const string GroupHasMembers = "group-has-members";
    public const string MembersOutsideYourTeams = "group-has-members-outside-your-teams";
    public const string NameTaken = "group-name-taken";
    public const string GroupIsOrgDefault = "group-is-org-default";

    public virtual async Task<Result<PagedList<PermissionGroup>>> ListAsync(Caller caller, PageRequest page, CancellationToken cancellationToken = default)
    {
        if (Refuse(caller) is { } forbidden)
        {
            return forbidden;
        }
        if (ContinuationTokens.Validate(page) is { } invalid)
        {
            return invalid;
        }
        return await groups.ListAsync(caller.OrgId, page, cancellationToken);
    }

    public virtual async Task<Result<PermissionGroup>> GetAsync(Caller caller, string groupId, CancellationToken cancellationToken = default)
    {
        if (Refuse(caller) is { } forbidden)
        {
            return forbidden;
        }
        return await groups.GetAsync(caller.OrgId, groupId, cancellationToken) is { } group ? group : Failure.NotFound("Permission group");
    }

    public virtual async Task<Result<PermissionGroup>> CreateAsync(Caller caller, PermissionGroupInput input, CancellationToken cancellationToken = default)
    {
        if (Refuse(caller) is { } forbidden)
        {
            return forbidden;
        }
        var name = Validation.Name("name", input.Name);
        if (name.Failure is { } invalid)
        {
            return invalid;
        }
        if (await NameTakenAsync(caller.OrgId, name.Value!, null, cancellationToken) is { } taken)
        {
            return taken;
        }
        var group = new PermissionGroup
        {
            OrgId = caller.OrgId,
            Id = Guid.NewGuid().ToString("N"),
            Name = name.Value!,
            AllowComputer = input.AllowComputer,
            AllowPhone = input.AllowPhone,
        };
        return await audit.RecordChangeAsync(caller, caller.OrgId, "permission-group.created", AuditService.PermissionGroup, group.Id,
            null, group, async () => (Result<PermissionGroup>)await groups.CreateAsync(group, cancellationToken), cancellationToken);
    }

    public virtual async Task<Result<PermissionGroup>> UpdateAsync(
        Caller caller, string groupId, PermissionGroupInput input, string? ifMatch, CancellationToken cancellationToken = default)
    {
        if (Refuse(caller) is { } forbidden)
        {
            return forbidden;
        }
        var name = Validation.Name("name", input.Name);
        if (name.Failure is { } invalid)
        {
            return invalid;
        }
        if (await groups.GetAsync(caller.OrgId, groupId, cancellationToken) is not { } before)
        {
            return Failure.NotFound("Permission group");
        }
        if (await NameTakenAsync(caller.OrgId, name.Value!, groupId, cancellationToken) is { } taken)
        {
            return taken;
        }
        var after = before with { Name = name.Value!, AllowComputer = input.AllowComputer, AllowPhone = input.AllowPhone };
        if (after == before)
        {
            return before;
        }
        if (await OutsideScopeAsync(caller, before, "change", cancellationToken) is { } outside)
        {
            return outside;
        }
        return await audit.RecordChangeAsync(caller, caller.OrgId, "permission-group.updated", AuditService.PermissionGroup, groupId,
            before with { Version = null }, after with { Version = null },
            () => groups.UpdateAsync(after, string.IsNullOrEmpty(ifMatch) ? before.Version! : ifMatch, cancellationToken), cancellationToken);
    }

    /// <summary>Refused with 409 <c>group-has-members</c> (and <c>memberCount</c>) while anyone is still in the group.</summary>
    public virtual async Task<Result<PermissionGroup>> DeleteAsync(
        Caller caller, string groupId, string? ifMatch, CancellationToken cancellationToken = default)
    {
        if (Refuse(caller) is { } forbidden)
        {
            return forbidden;
        }
        if (await groups.GetAsync(caller.OrgId, groupId, cancellationToken) is not { } group)
        {
            return Failure.NotFound("Permission group");
        }
        if (await OutsideScopeAsync(caller, group, "delete", cancellationToken) is { } outside)
        {
            return outside;
        }
        // New people join the default group on first sign-in, so it must not vanish under them.
        if ((await orgs.GetAsync(caller.OrgId, cancellationToken))?.DefaultPermissionGroupId == groupId)
        {
            return Failure.Conflict(GroupIsOrgDefault,
                $"Permission group '{group.Name}' is the org's default for new people. Choose another default on the Org settings page first.");
        }
        var members = await people.CountInGroupAsync(caller.OrgId, groupId, cancellationToken);
        if (members > 0)
        {
            return Failure.Conflict(GroupHasMembers,
                $"Permission group '{group.Name}' has {members} member{(members == 1 ? "" : "s")}. Move them to another group first.")
                with { Extensions = new Dictionary<string, object?> { ["memberCount"] = members } };
        }
        return await audit.RecordChangeAsync(caller, caller.OrgId, "permission-group.deleted", AuditService.PermissionGroup, groupId,
            group with { Version = null }, null, async () =>
            {
                var deleted = await groups.DeleteAsync(caller.OrgId, groupId, string.IsNullOrEmpty(ifMatch) ? group.Version! : ifMatch, cancellationToken);
                return deleted.Failure is { } stale ? stale : (Result<PermissionGroup>)group;
            }, cancellationToken);
    }

    /// <summary>For a manager, 403 <c>group-has-members-outside-your-teams</c> (with <c>membersOutsideYourTeams</c>) when any member is on a team they do not manage.</summary>
    private async Task<Failure?> OutsideScopeAsync(Caller caller, PermissionGroup group, string verb, CancellationToken cancellationToken)
    {
        if (caller.IsAdmin)
        {
            return null;
        }
        var scope = await scopes.ForAsync(caller, cancellationToken);
        if (scope.Failure is { } forbidden)
        {
            return forbidden;
        }
        var outside = scope.Value!.CountOutside(await people.TeamIdsInGroupAsync(caller.OrgId, group.Id, cancellationToken));
        return outside == 0
            ? null
            : Failure.Forbidden(MembersOutsideYourTeams,
                $"You cannot {verb} permission group '{group.Name}': {outside} of its members {(outside == 1 ? "is" : "are")} not on a team you manage. Ask an admin.")
                with { Extensions = new Dictionary<string, object?> { ["membersOutsideYourTeams"] = outside } };
    }

    private async Task<Failure?> NameTakenAsync(string orgId, string name, string? exceptId, CancellationToken cancellationToken)
    {
        var all = await groups.ListAllAsync(orgId, cancellationToken);
        return all.Any(g => g.Id != exceptId && string.Equals(g.Name, name, StringComparison.OrdinalIgnoreCase))
            ? Failure.Conflict(NameTaken, $"A permission group named '{name}' already exists.") with { Field = "name" }
            : null;
    }

    private static Failure? Refuse(Caller caller) =>
        caller.IsAdmin || caller.IsManager
            ? null
            : Failure.Forbidden("requires-manager-or-admin", "Only managers and admins can manage permission groups.");
}
