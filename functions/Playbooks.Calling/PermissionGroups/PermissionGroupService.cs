using Playbooks.Calling.Audit;
using Playbooks.Calling.Identity;
using Playbooks.Calling.OrgDirectory;
using Playbooks.Calling.People;

namespace Playbooks.Calling.PermissionGroups;

/// <summary>
/// Managers and admins manage the org's permission groups ("managers and admins should set which teams have
/// permission"). Names are unique per org, ignoring case.
/// </summary>
public class PermissionGroupService(PermissionGroupStore groups, PersonStore people, AuditService audit)
{
    public const string GroupHasMembers = "group-has-members";
    public const string NameTaken = "group-name-taken";

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
        var created = await groups.CreateAsync(new PermissionGroup
        {
            OrgId = caller.OrgId,
            Id = Guid.NewGuid().ToString("N"),
            Name = name.Value!,
            AllowComputer = input.AllowComputer,
            AllowPhone = input.AllowPhone,
        }, cancellationToken);
        await audit.RecordAsync(caller, caller.OrgId, "permission-group.created", AuditService.PermissionGroup, created.Id,
            null, created with { Version = null }, cancellationToken);
        return created;
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
        var saved = await groups.UpdateAsync(after, string.IsNullOrEmpty(ifMatch) ? before.Version! : ifMatch, cancellationToken);
        if (saved.IsSuccess)
        {
            await audit.RecordAsync(caller, caller.OrgId, "permission-group.updated", AuditService.PermissionGroup, groupId,
                before with { Version = null }, saved.Value! with { Version = null }, cancellationToken);
        }
        return saved;
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
        var members = await people.CountInGroupAsync(caller.OrgId, groupId, cancellationToken);
        if (members > 0)
        {
            return Failure.Conflict(GroupHasMembers,
                $"Permission group '{group.Name}' has {members} member{(members == 1 ? "" : "s")}. Move them to another group first.")
                with { Extensions = new Dictionary<string, object?> { ["memberCount"] = members } };
        }
        var deleted = await groups.DeleteAsync(caller.OrgId, groupId, string.IsNullOrEmpty(ifMatch) ? group.Version! : ifMatch, cancellationToken);
        if (deleted.Failure is { } stale)
        {
            return stale;
        }
        await audit.RecordAsync(caller, caller.OrgId, "permission-group.deleted", AuditService.PermissionGroup, groupId,
            group with { Version = null }, null, cancellationToken);
        return group;
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
