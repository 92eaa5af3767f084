namespace Playbooks.Calling.Activity;

/// <summary>
/// Which events the activity writer merges together in one write: those of one activity (<see cref="ActivityKey"/>),
/// or an agent leg's own statuses, which go to that leg's state row instead.
/// </summary>
public readonly record struct CallEventGroup(string OrgId, string CallSid, bool AgentLeg)
{
    public static CallEventGroup Of(CallEventMessage e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return ActivityKey.Of(e) is { } key
            ? new CallEventGroup(key.OrgId, key.AgentCallSid, AgentLeg: false)
            : new CallEventGroup(e.OrgId, e.CallSid, AgentLeg: true);
    }
}
