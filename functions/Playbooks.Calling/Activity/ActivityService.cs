namespace Playbooks.Calling.Activity;

/// <summary>
/// Merges call events into their activities for the activity writer, and runs the step after each merge (the CRM).
/// An agent leg's own status makes no activity: it goes to the agent-leg state the call-state endpoint reads.
/// </summary>
public class ActivityService(ActivityStore store, IActivityObserver observer, Calls.AgentLegStateStore? agentLegs = null)
{
    /// <summary>
    /// Merges one event into its activity, saves it and runs the CRM step. Throws when either fails, so the queue
    /// delivers the event again. Null for an event that makes no activity (an agent leg's own status).
    /// </summary>
    public virtual async Task<CallActivity?> ApplyAsync(CallEventMessage message, CancellationToken cancellationToken = default)
    {
        if (ActivityKey.Of(message) is not { } key)
        {
            // An agent leg's own status makes no activity; it is what the call-state endpoint shows the rep.
            if (agentLegs is not null && message is { Kind: CallEventKind.CallStatus, CallStatus: { } status })
            {
                await agentLegs.RecordStatusAsync(message.OrgId, message.CallSid, status, message.Timestamp ?? message.ReceivedAt, cancellationToken);
            }

            return null;
        }

        var change = await store.UpdateAsync(key, current => ActivityMerger.Merge(current, message), cancellationToken);
        await observer.OnMergedAsync(change, cancellationToken);
        return change.Current;
    }
}
