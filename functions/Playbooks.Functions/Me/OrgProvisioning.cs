using Playbooks.Calling;
using Playbooks.Calling.Identity;

namespace Playbooks.Functions.Me;

/// <summary>
/// A signed-in user whose org has no Playbooks org row yet (Support has not provisioned it). The services answer
/// "Org was not found"; for the caller's own org that is a 403 they can act on, not a missing resource.
/// </summary>
public static class OrgProvisioning
{
    public const string NotProvisionedCode = "org-not-provisioned";

    private static readonly Failure OrgMissing = Failure.NotFound("Org");

    public static Failure NotProvisioned(string orgId) =>
        Failure.Forbidden(NotProvisionedCode,
            $"Your organisation ('{orgId}') is not set up for Playbooks Calling yet. Contact Playbooks support to have it provisioned.");

    public static Result<T> OrNotProvisioned<T>(this Result<T> result, Caller caller) =>
        result.Failure == OrgMissing ? NotProvisioned(caller.OrgId) : result;
}
