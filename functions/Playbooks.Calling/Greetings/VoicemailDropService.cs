using Microsoft.Extensions.Logging;
using Playbooks.Calling.Activity;
using Playbooks.Calling.CallEvents;
using Playbooks.Calling.Calls;
using Playbooks.Calling.Identity;

namespace Playbooks.Calling.Greetings;

/// <summary>What a voicemail drop did: the prospect leg now plays the greeting and hangs up; the rep's leg is free.</summary>
public sealed record VoicemailDrop(string CallSid, string ProspectCallSid, string GreetingId, string GreetingName, DateTimeOffset DroppedAt);

/// <summary>
/// Leaves one of the rep's greetings on the prospect's voicemail: the prospect (child) leg is redirected to
/// &lt;Play&gt; a short-lived link to the greeting and &lt;Hangup&gt;. Redirecting the child ends the &lt;Dial&gt;, and the
/// agent leg's TwiML has nothing after it, so Twilio ends the rep's leg at once (the browser's call disconnects, the rep's
/// phone hangs up) while the greeting plays. The activity learns "voicemail left" through the call-event queue.
/// </summary>
public class VoicemailDropService(
    CallLedger ledger,
    ActivityStore activities,
    GreetingStore greetings,
    GreetingLinks links,
    TwimlBuilder twiml,
    TwilioCallGateway gateway,
    ICallEventPublisher publisher,
    TimeProvider time,
    ILogger<VoicemailDropService> logger)
{
    public const string ProspectNotAnswered = "prospect-not-answered";

    public virtual async Task<Result<VoicemailDrop>> DropAsync(Caller caller, string callSid, string? greetingId, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(greetingId))
        {
            return Failure.Invalid("greetingId", "Choose the greeting to leave.", "missing-field");
        }

        if (!GreetingStore.IsWellFormedId(greetingId))
        {
            return Failure.Invalid("greetingId", "greetingId is not a greeting id.");
        }

        // Three independent point reads: whose call it is, what we know of its prospect leg, and the greeting.
        var callRead = ledger.GetAsync(caller.OrgId, callSid, cancellationToken);
        var activityRead = CallLedger.IsWellFormedSid(callSid)
            ? activities.GetAsync(new ActivityKey(caller.OrgId, callSid), cancellationToken)
            : Task.FromResult<CallActivity?>(null);
        var greetingRead = greetings.GetAsync(caller.OrgId, caller.UserId, greetingId, cancellationToken);
        if (await callRead is not { } call || call.UserId != caller.UserId)
        {
            return Failure.NotFound("Call");
        }

        if (await greetingRead is not { } greeting)
        {
            return new Failure(FailureKind.NotFound, "not-found", "Greeting was not found.") { Field = "greetingId" };
        }

        var activity = await activityRead;
        if (activity?.Status is { } status && status.IsTerminal())
        {
            return Failure.Conflict(ProspectNotAnswered, "The call has already ended.");
        }

        // The activity writer may not have seen the prospect's first callback yet: then Twilio names the answered child leg.
        var prospectSid = activity?.ProspectCallSid;
        if (prospectSid is null)
        {
            var child = await gateway.FindAnsweredChildAsync(call.CallSid, cancellationToken);
            if (child.Failure is { } unavailable)
            {
                return unavailable;
            }

            prospectSid = child.Value;
        }

        if (prospectSid is null)
        {
            return Failure.Conflict(ProspectNotAnswered, "Nobody has answered the call yet: there is no voicemail to leave the greeting on.");
        }

        var link = links.Create(new GreetingLinkTarget(caller.OrgId, caller.UserId, greeting.Id));
        var redirected = await gateway.RedirectAsync(prospectSid, twiml.VoicemailDrop(link), cancellationToken);
        if (redirected.Failure is { } failure)
        {
            return failure.Kind == FailureKind.NotFound || failure.Code == TwilioCallGateway.CallNotInProgress
                ? Failure.Conflict(ProspectNotAnswered, "The prospect's leg has already ended.")
                : failure;
        }

        var now = time.GetUtcNow();
        try
        {
            await publisher.PublishAsync(CallEventMessage.ForVoicemailDrop(caller.OrgId, call.CallSid, greeting.Id, greeting.Name, now), CancellationToken.None);
        }
        catch (Exception ex)
        {
            // The greeting is already playing; losing the note on the activity is better than reporting a failed drop.
            logger.LogError(ex, "Could not queue the voicemail drop of call {CallSid}", call.CallSid);
        }

        return new VoicemailDrop(call.CallSid, prospectSid, greeting.Id, greeting.Name, now);
    }
}
