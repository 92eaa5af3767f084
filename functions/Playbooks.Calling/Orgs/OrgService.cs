using Playbooks.Calling.Audit;
using Playbooks.Calling.CallerIds;
using Playbooks.Calling.Identity;
using Playbooks.Calling.PermissionGroups;

namespace Playbooks.Calling.Orgs;

/// <summary>An admin reads and edits their own org's settings (all but computer calling, which is Support's).</summary>
public class OrgService(OrgStore orgs, AuditService audit, CallerIdStore callerIds, PermissionGroupStore groups)
{
    public virtual async Task<Result<OrgSettings>> GetAsync(Caller caller, CancellationToken cancellationToken = default)
    {
        if (!caller.IsAdmin)
        {
            return Failure.Forbidden("requires-admin", "Only admins can read the org settings.");
        }
        return await orgs.GetAsync(caller.OrgId, cancellationToken) is { } org ? org : Failure.NotFound("Org");
    }

    public virtual async Task<Result<OrgSettings>> UpdateAsync(
        Caller caller, OrgSettingsPatch patch, string? ifMatch, CancellationToken cancellationToken = default)
    {
        if (!caller.IsAdmin)
        {
            return Failure.Forbidden("requires-admin", "Only admins can change the org settings.");
        }
        if (await orgs.GetAsync(caller.OrgId, cancellationToken) is not { } current)
        {
            return Failure.NotFound("Org");
        }
        var next = OrgSettingsValidation.Apply(current, patch);
        if (next.Failure is { } invalid)
        {
            return invalid;
        }
        if (next.Value!.CallerId is { } callerId && callerId != current.CallerId
            && await callerIds.GetOwnerAsync(callerId, cancellationToken) != caller.OrgId)
        {
            return Failure.Forbidden(CallerIdService.NotAssigned,
                $"{callerId} is not one of your org's caller IDs. Ask Support to assign it to your org first.") with { Field = "callerId" };
        }
        if (next.Value!.DefaultPermissionGroupId is { } groupId && groupId != current.DefaultPermissionGroupId
            && await groups.GetAsync(caller.OrgId, groupId, cancellationToken) is null)
        {
            return Failure.Invalid("defaultPermissionGroupId", $"Permission group '{groupId}' does not exist.", "unknown-permission-group");
        }
        if (next.Value == current)
        {
            return current;
        }
        return await audit.RecordChangeAsync(caller, caller.OrgId, "org.updated", AuditService.Org, caller.OrgId,
            current with { Version = null }, next.Value! with { Version = null },
            () => orgs.UpdateAsync(next.Value!, IfMatchOr(ifMatch, current), cancellationToken), cancellationToken);
    }

    /// <summary>Without If-Match, the edit is still checked against the version read at the start of the request.</summary>
    internal static string IfMatchOr(string? ifMatch, OrgSettings current) =>
        string.IsNullOrEmpty(ifMatch) ? current.Version! : ifMatch;
}
