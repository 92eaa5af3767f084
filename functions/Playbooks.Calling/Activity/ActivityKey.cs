namespace Playbooks.Calling.Activity;

/// <summary>
/// Identifies the one activity of a prospect leg: the org plus the SID of the agent leg that dialed it.
/// </summary>
/// <remarks>
/// Keyed by the agent (parent) leg, not the prospect leg, because only the agent SID reaches us with every event:
/// prospect-leg callbacks carry it as <c>ParentCallSid</c>, Twilio's recording callbacks for a &lt;Dial&gt; always
/// name the parent leg, and the rep's client only ever learns the agent leg's SID (the browser's Call, or the
/// REST-created call of a phone-based call) when it sends a disposition. Each agent leg dials exactly one
/// &lt;Number&gt;, so this is still one activity per prospect leg; the prospect SID is kept on the activity.
/// </remarks>
public readonly record struct ActivityKey(string OrgId, string AgentCallSid)
{
    /// <summary>The activity an event belongs to, or null for an agent leg's own status, which makes no activity.</summary>
    public static ActivityKey? Of(CallEventMessage e) => e.Kind switch
    {
        CallEventKind.CallStatus when e.Leg != CallLeg.Prospect => null,
        CallEventKind.CallStatus => new ActivityKey(e.OrgId, e.ParentCallSid ?? e.AgentCallSid!),
        _ => new ActivityKey(e.OrgId, e.CallSid),
    };
}
