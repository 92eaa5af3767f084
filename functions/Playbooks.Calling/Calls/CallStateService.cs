using Playbooks.Calling.Activity;
using Playbooks.Calling.Identity;
using Playbooks.Calling.Orgs;

namespace Playbooks.Calling.Calls;

/// <summary>
/// Where a call stands for the rep who placed it. <see cref="State"/> is one of <see cref="CallStates"/>;
/// <see cref="Reason"/> says why an ended call ended. <see cref="ConnectedAt"/> is when the prospect answered.
/// </summary>
public sealed record CallState(string CallSid, string State, string? Reason, DateTimeOffset? ConnectedAt, DateTimeOffset? EndedAt);

/// <summary>The states and end reasons of <see cref="CallState"/>, as the web app reads them.</summary>
public static class CallStates
{
    public const string Ringing = "ringing";
    public const string WaitingForKey = "waiting-for-key";
    public const string Connecting = "connecting";
    public const string InCall = "in-call";
    public const string Ended = "ended";

    public const string Completed = "completed";
    public const string AgentNoAnswer = "agent-no-answer";
    public const string AgentDeclined = "agent-declined";
    public const string AgentFailed = "agent-failed";
    public const string ProspectNoAnswer = "prospect-no-answer";
    public const string ProspectBusy = "prospect-busy";
    public const string ProspectFailed = "prospect-failed";
    public const string Canceled = "canceled";
}

/// <summary>
/// Derives a call's state from what is already stored: the ledger (whose call it is), the agent leg's state row (its
/// status callbacks, written by the activity writer, and the rep's key, written by the &lt;Gather&gt; action) and the
/// prospect leg's activity. Three point reads; nothing is written.
/// </summary>
public class CallStateService(CallLedger ledger, AgentLegStateStore agentLegs, ActivityStore activities)
{
    /// <summary>The state of a call the caller placed; anyone else's call, in any org, is "not found".</summary>
    public virtual async Task<Result<CallState>> GetAsync(Caller caller, string callSid, CancellationToken cancellationToken)
    {
        var call = await ledger.GetAsync(caller.OrgId, callSid, cancellationToken);
        if (call is null || call.UserId != caller.UserId)
        {
            return Failure.NotFound("Call");
        }

        var agentRead = agentLegs.GetAsync(call.OrgId, call.CallSid, cancellationToken);
        var activityRead = activities.GetAsync(new ActivityKey(call.OrgId, call.CallSid), cancellationToken);
        return Derive(call, await agentRead, await activityRead);
    }

    /// <summary>The state from the stored facts; the prospect leg's end outranks the agent leg's, which outranks the key.</summary>
    public static CallState Derive(CallRecord call, AgentLegState? agent, CallActivity? prospect)
    {
        // A browser call has no press-1 prompt: it is connecting from the start.
        var confirmation = call.Method == CallingMethod.Computer ? AgentConfirmation.Confirmed : agent?.Confirmation;
        var connectedAt = prospect?.AnsweredAt;
        CallState Ended(string reason, DateTimeOffset? at) => new(call.CallSid, CallStates.Ended, reason, connectedAt, at);

        if (prospect?.Status is { } leg && IsTerminal(leg))
        {
            return Ended(leg switch
            {
                CallStatus.Completed => CallStates.Completed,
                CallStatus.Busy => CallStates.ProspectBusy,
                CallStatus.NoAnswer => CallStates.ProspectNoAnswer,
                CallStatus.Failed => CallStates.ProspectFailed,
                _ => CallStates.Canceled,
            }, prospect.EndedAt);
        }

        if (agent?.Status is { } status && IsTerminal(status))
        {
            var reason = status switch
            {
                CallStatus.NoAnswer or CallStatus.Busy => CallStates.AgentNoAnswer,
                CallStatus.Failed => CallStates.AgentFailed,
                CallStatus.Canceled => CallStates.Canceled,
                _ when confirmation != AgentConfirmation.Confirmed => CallStates.AgentDeclined, // voicemail, silence, another key
                _ when connectedAt is not null => CallStates.Completed,
                _ => CallStates.Canceled, // the rep hung up while the prospect rang
            };
            return Ended(reason, agent.StatusAt);
        }

        return confirmation switch
        {
            AgentConfirmation.Declined => Ended(CallStates.AgentDeclined, agent?.ConfirmedAt),
            AgentConfirmation.Confirmed when connectedAt is not null || prospect?.Status == CallStatus.InProgress =>
                new(call.CallSid, CallStates.InCall, null, connectedAt, null),
            AgentConfirmation.Confirmed => new(call.CallSid, CallStates.Connecting, null, null, null),
            _ when agent?.Status == CallStatus.InProgress => new(call.CallSid, CallStates.WaitingForKey, null, null, null),
            _ => new(call.CallSid, CallStates.Ringing, null, null, null),
        };
    }

    private static bool IsTerminal(CallStatus status) =>
        status is CallStatus.Completed or CallStatus.Busy or CallStatus.NoAnswer or CallStatus.Failed or CallStatus.Canceled;
}
