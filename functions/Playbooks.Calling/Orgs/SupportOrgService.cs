using System.Text.RegularExpressions;
using Playbooks.Calling.Audit;
using Playbooks.Calling.Identity;
using Playbooks.Calling.Storage;

namespace Playbooks.Calling.Orgs;

/// <summary>A new org, or a sandbox of <see cref="ParentOrgId"/>. A null id is generated.</summary>
public sealed record NewOrg(string? OrgId, string? Name, string? ParentOrgId = null);

/// <summary>What vendor Support does across orgs: switch computer calling, create orgs and sandboxes.</summary>
public partial class SupportOrgService(OrgStore orgs, AuditService audit)
{
    public virtual async Task<Result<OrgSettings>> GetAsync(Caller caller, string orgId, CancellationToken cancellationToken = default)
    {
        if (!caller.IsSupport)
        {
            return RequiresSupport();
        }
        if (await orgs.GetAsync(orgId, cancellationToken) is not { } org)
        {
            return Failure.NotFound("Org");
        }
        if (org.OrgId != caller.OrgId)
        {
            // Vendor staff reading a customer's org leaves a trace in that org's audit log.
            await audit.RecordAsync(caller, org.OrgId, "org.read-by-support", AuditService.Org, org.OrgId, null, null, cancellationToken);
        }
        return org;
    }

    public virtual async Task<Result<OrgSettings>> SetComputerCallingAsync(
        Caller caller, string orgId, bool enabled, string? ifMatch = null, CancellationToken cancellationToken = default)
    {
        if (!caller.IsSupport)
        {
            return RequiresSupport();
        }
        if (await orgs.GetAsync(orgId, cancellationToken) is not { } current)
        {
            return Failure.NotFound("Org");
        }
        if (current.ComputerCallingEnabled == enabled)
        {
            return current;
        }
        var next = current with { ComputerCallingEnabled = enabled };
        return await audit.RecordChangeAsync(caller, orgId, enabled ? "org.computer-calling-enabled" : "org.computer-calling-disabled",
            AuditService.Org, orgId, current with { Version = null }, next with { Version = null },
            () => orgs.UpdateAsync(next, OrgService.IfMatchOr(ifMatch, current), cancellationToken), cancellationToken);
    }

    /// <summary>Every new org, sandbox or not, starts with computer calling disabled until Support enables it.</summary>
    public virtual async Task<Result<OrgSettings>> CreateAsync(Caller caller, NewOrg input, CancellationToken cancellationToken = default)
    {
        if (!caller.IsSupport)
        {
            return RequiresSupport();
        }
        var orgId = string.IsNullOrWhiteSpace(input.OrgId) ? $"org-{Guid.NewGuid():N}"[..16] : input.OrgId.Trim();
        if (!OrgIdPattern().IsMatch(orgId))
        {
            return Failure.Invalid("orgId", "orgId must be 3–63 lowercase letters, digits or hyphens, starting with a letter or digit.");
        }
        var name = Validation.Name("name", input.Name);
        if (name.Failure is { } invalidName)
        {
            return invalidName;
        }
        string? parentId = null;
        if (!string.IsNullOrWhiteSpace(input.ParentOrgId))
        {
            var parent = await orgs.GetAsync(input.ParentOrgId.Trim(), cancellationToken);
            if (parent is null)
            {
                return Failure.Invalid("parentOrgId", $"Parent org '{input.ParentOrgId}' does not exist.", "unknown-org");
            }
            if (parent.IsSandbox)
            {
                return Failure.Invalid("parentOrgId", "A sandbox cannot have sandboxes of its own.", "parent-is-sandbox");
            }
            parentId = parent.OrgId;
        }
        var org = new OrgSettings { OrgId = orgId, Name = name.Value!, ParentOrgId = parentId, ComputerCallingEnabled = false };
        return await audit.RecordChangeAsync(caller, orgId, parentId is null ? "org.created" : "org.sandbox-created",
            AuditService.Org, orgId, null, org, () => orgs.CreateAsync(org, cancellationToken), cancellationToken);
    }

    private static Failure RequiresSupport() =>
        Failure.Forbidden("requires-support", "Only Support can do this.");

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{2,62}$")]
    private static partial Regex OrgIdPattern();
}
