using Playbooks.Calling.Audit;
using Playbooks.Calling.Identity;
using Playbooks.Calling.Orgs;
using Playbooks.Calling.Storage;

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
        var list = store.ListAsync(orgId, cancellationToken);
        // Vendor staff reading a customer's numbers leaves a trace in that org's audit log, written alongside the read.
        var audited = orgId == caller.OrgId
            ? Task.CompletedTask
            : audit.RecordAsync(caller, orgId, "caller-ids.read-by-support", AuditTarget, orgId, null, null, cancellationToken);
        await Task.WhenAll(list, audited);
        return new CallerIdList(orgId, await list);
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
        if (await store.GetOwnerAsync(number.Value!, cancellationToken) == orgId)
        {
            // Assigning again what the org holds changes nothing, so there is nothing to audit.
            return (await store.ListAsync(orgId, cancellationToken)).FirstOrDefault(a => a.PhoneNumber == number.Value)
                ?? await store.AssignAsync(new CallerIdAssignment(number.Value!, orgId, time.GetUtcNow(), caller.UserId), cancellationToken);
        }
        var claim = new CallerIdAssignment(number.Value!, orgId, time.GetUtcNow(), caller.UserId);
        // Audit first: a number never changes hands without its entry.
        return await audit.RecordChangeAsync(caller, orgId, "caller-id.assigned", AuditTarget, number.Value!, null, claim,
            () => store.AssignAsync(claim, cancellationToken), cancellationToken);
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
        return await audit.RecordChangeAsync<bool>(caller, orgId, "caller-id.released", AuditTarget, number.Value!,
            new { phoneNumber = number.Value, orgId }, null,
            async () => await store.ReleaseAsync(orgId, number.Value!, cancellationToken) ? true : Failure.NotFound("Caller ID"),
            cancellationToken);
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
