using Playbooks.Calling.Identity;
using Playbooks.Calling.OrgDirectory;

namespace Playbooks.Calling.Audit;

/// <summary>Writes an entry for every change, and lists an org's entries for its admins.</summary>
public class AuditService(AuditStore store, TimeProvider clock)
{
    public const string Person = "person";
    public const string PermissionGroup = "permission-group";
    public const string Org = "org";

    /// <summary>Records a change in <paramref name="orgId"/> (Support acts on other orgs, so it is not always the caller's).</summary>
    public virtual Task RecordAsync(
        Caller actor, string orgId, string action, string targetType, string targetId, object? before, object? after,
        CancellationToken cancellationToken = default)
    {
        var at = clock.GetUtcNow();
        return store.AppendAsync(new AuditEntry
        {
            OrgId = orgId,
            Id = AuditEntity.NewRowKey(at),
            At = at,
            ActorUserId = actor.UserId,
            ActorDisplayName = actor.DisplayName,
            ActorTenantId = actor.IsSupport ? actor.TenantId : null,
            Action = action,
            TargetType = targetType,
            TargetId = targetId,
            Before = before is null ? null : DirectoryJson.ToJson(before),
            After = after is null ? null : DirectoryJson.ToJson(after),
        }, cancellationToken);
    }

    public virtual async Task<Result<PagedList<AuditEntry>>> ListAsync(Caller caller, PageRequest page, CancellationToken cancellationToken = default)
    {
        if (!caller.IsAdmin)
        {
            return Failure.Forbidden("requires-admin", "Only admins can read the audit log.");
        }
        if (ContinuationTokens.Validate(page) is { } invalid)
        {
            return invalid;
        }
        return await store.ListAsync(caller.OrgId, page, cancellationToken);
    }
}
