using Azure;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Playbooks.Calling.CallerIds;
using Playbooks.Calling.Identity;
using Playbooks.Calling.Orgs;
using Playbooks.Calling.People;
using Playbooks.Calling.Permissions;
using Playbooks.Calling.Twilio;

namespace Playbooks.Calling.Calls;

/// <summary>A phone-based call request: the prospect and, optionally, the CRM record the call is about.</summary>
public sealed record PhoneCallRequest(string? To, string? WhoId);

public sealed record StartedCall(string CallSid);

public sealed record EndedCall(bool Ended);

/// <summary>Places phone-based calls (the rep's phone first, then the prospect) and hangs up calls a user owns.</summary>
public class CallService(
    CallingAccess access,
    PersonStore people,
    OrgStore orgs,
    DestinationPolicy destinations,
    CallIntentProtector intents,
    CallbackUrls urls,
    TwilioCallGateway gateway,
    CallLedger ledger,
    CallRateLimiter limiter,
    CallerIdStore callerIds,
    IOptions<TwilioOptions> options,
    TimeProvider time,
    ILogger<CallService> logger)
{
    public const string RateLimited = "call-rate-limited";

    private readonly string? _defaultCallerId = options.Value.DefaultCallerId;

    public virtual async Task<Result<StartedCall>> StartPhoneCallAsync(Caller caller, PhoneCallRequest request, CancellationToken cancellationToken)
    {
        // The roles of this sign-in are what the voice webhook checks when the agent leg answers.
        if (await people.GetAsync(caller.OrgId, caller.UserId, cancellationToken) is { } signedIn)
        {
            await people.RecordRolesAsync(signedIn, caller.Roles, cancellationToken);
        }

        var permission = await access.CheckAsync(caller.OrgId, caller.UserId, CallingMethod.Phone, cancellationToken);
        if (!permission.Allowed)
        {
            return Failure.Forbidden(permission.Reason ?? CallingAccess.UnknownUser, permission.Detail ?? "You cannot place phone-based calls.");
        }

        var personRead = people.GetAsync(caller.OrgId, caller.UserId, cancellationToken);
        var orgRead = orgs.GetAsync(caller.OrgId, cancellationToken);
        if (await personRead is not { AgentPhoneNumber: { Length: > 0 } agentPhone } || await orgRead is not { } org)
        {
            return Failure.Forbidden(CallingAccess.UnknownUser, "The user is not known in this org.");
        }

        if (request.WhoId is { Length: > 0 } && !CrmWhoId.IsValid(request.WhoId))
        {
            return Failure.Invalid("whoId", "whoId must be a CRM lead or contact id.");
        }

        var prospect = destinations.Check(request.To, org);
        if (prospect.Failure is { } badNumber)
        {
            return badNumber;
        }

        var callerId = org.CallerId ?? _defaultCallerId;
        if (string.IsNullOrEmpty(callerId))
        {
            return Failure.Conflict(CallConnector.CallerIdMissing, "The org has no caller ID for calls. Ask an admin to set one.");
        }

        if (org.CallerId is not null && !await callerIds.IsAssignedAsync(org.OrgId, org.CallerId, cancellationToken))
        {
            return Failure.Conflict(CallerIdService.NotAssigned, "The org's caller ID is no longer assigned to it. Ask an admin to choose another.");
        }

        var decision = limiter.TryAcquire(caller.OrgId, caller.UserId);
        if (!decision.Allowed)
        {
            return new Failure(FailureKind.RateLimited, RateLimited, "Too many calls started in a short time. Wait a moment and try again.")
            {
                RetryAfter = decision.RetryAfter,
            };
        }

        var whoId = string.IsNullOrEmpty(request.WhoId) ? null : request.WhoId;
        var now = time.GetUtcNow();
        var intent = intents.Protect(new CallIntentData(caller.OrgId, caller.UserId, prospect.Value!, whoId, now));
        var agentLegContext = new CallbackContext(caller.OrgId, caller.UserId, CallingMethod.Phone) { WhoId = whoId };
        var started = await gateway.StartAgentLegAsync(
            agentPhone, callerId, urls.Voice(intent), urls.Status(agentLegContext, CallLeg.Agent), org.MaxCallMinutes * 60, cancellationToken);
        if (started.Failure is { } refused)
        {
            return refused;
        }

        var callSid = started.Value!;
        try
        {
            await ledger.RecordAsync(
                new CallRecord(caller.OrgId, callSid, caller.UserId, CallingMethod.Phone, prospect.Value!, now) { WhoId = whoId },
                CancellationToken.None);
        }
        catch (RequestFailedException ex)
        {
            // The rep's phone is already ringing; the voice webhook records the call again when they answer.
            logger.LogError(ex, "Could not record call {CallSid} in the ledger", callSid);
        }

        return new StartedCall(callSid);
    }

    /// <summary>Hangs up a call the caller placed; anyone else's call, in any org, is "not found".</summary>
    public virtual async Task<Result<EndedCall>> EndCallAsync(Caller caller, string callSid, CancellationToken cancellationToken)
    {
        var call = await ledger.GetAsync(caller.OrgId, callSid, cancellationToken);
        if (call is null || call.UserId != caller.UserId)
        {
            return Failure.NotFound("Call");
        }

        var outcome = await gateway.EndCallAsync(call.CallSid, cancellationToken);
        return outcome.Failure is { } failure ? failure : new EndedCall(outcome.Value == CallEndOutcome.Ended);
    }
}
