using Playbooks.Calling.Audit;
using Playbooks.Calling.Identity;
using Playbooks.Calling.OrgDirectory;
using Playbooks.Calling.Orgs;

namespace Playbooks.Calling.CallerIds;

/// <summary>Support gives the Twilio account's numbers to orgs as caller IDs, one org per number, and takes them back.</summary>
public class CallerIdService(OrgStore orgs, CallerIdStore store, TwilioNumberOwnership twilio, AuditService audit, TimeProvider time)
{
    public const string NotOwned = "caller-id-not-owned";
    public const string NotAssigned = "caller-id-not-assigned";
    public const string AuditTarget = "caller-id";

    public virtual async Task<Result<CallerIdList>> ListAsync(Caller caller, string orgId, CancellationToken cancellationToken = default)
    {
        if (await CheckAsync(caller, orgId, cancellationToken) is { } refused)
        {
            return refused;
        }
        return new CallerIdList(orgId, await store.ListAsync(orgId, cancellationToken));
    }

    public virtual async Task<Result<CallerIdAssignment>> AssignAsync(Caller caller, string orgId, string? phoneNumber, CancellationToken cancellationToken = default)
    {
        if (await CheckAsync(caller, orgId, cancellationToken) is { } refused)
        {
            return refused;
        }
        var number = Validation.PhoneNumber("phoneNumber", phoneNumber);
        if (number.Failure is { } invalid)
        {
            return invalid;
        }
        var owned = await twilio.IsOwnedAsync(number.Value!, cancellationToken);
        if (owned.Failure is { } unavailable)
        {
            return unavailable;
        }
        if (!owned.Value)
        {
            return Failure.Invalid("phoneNumber",
                $"{number.Value} is neither a number of the Twilio account nor a caller ID verified on it.", NotOwned);
        }
        var claim = new CallerIdAssignment(number.Value!, orgId, time.GetUtcNow(), caller.UserId);
        var assigned = await store.AssignAsync(claim, cancellationToken);
        if (assigned.IsSuccess && assigned.Value == claim) // not when the org already held it
        {
            await audit.RecordAsync(caller, orgId, "caller-id.assigned", AuditTarget, number.Value!, null, assigned.Value, cancellationToken);
        }
        return assigned;
    }

    public virtual async Task<Result<bool>> ReleaseAsync(Caller caller, string orgId, string? phoneNumber, CancellationToken cancellationToken = default)
    {
        if (await CheckAsync(caller, orgId, cancellationToken) is { } refused)
        {
            return refused;
        }
        var number = Validation.PhoneNumber("phoneNumber", phoneNumber);
        if (number.Failure is { } invalid)
        {
            return invalid;
        }
        if (!await store.ReleaseAsync(orgId, number.Value!, cancellationToken))
        {
            return Failure.NotFound("Caller ID");
        }
        await audit.RecordAsync(caller, orgId, "caller-id.released", AuditTarget, number.Value!, new { phoneNumber = number.Value, orgId }, null, cancellationToken);
        return true;
    }

    private async Task<Failure?> CheckAsync(Caller caller, string orgId, CancellationToken cancellationToken)
    {
        if (!caller.IsSupport)
        {
            return Failure.Forbidden("requires-support", "Only Support can do this.");
        }
        return await orgs.GetAsync(orgId, cancellationToken) is null ? Failure.NotFound("Org") : null;
    }
}
