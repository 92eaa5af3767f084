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
    public virtual Task<CallActivity?> ApplyAsync(CallEventMessage message, CancellationToken cancellationToken = default) =>
        ApplyAsync([message], cancellationToken);

    /// <summary>
    /// Merges events of one activity (<see cref="CallEventGroup.Of"/> gives them all the same group) with at most one read
    /// (none when this instance wrote the activity lately, or when the events start the call) and at most one conditional
    /// write, then runs the CRM step once. A lost race re-reads and merges the whole group again.
    /// Throws when either step fails, so the queue delivers every event of the group again. Null for a group of an agent
    /// leg's own statuses, which make no activity: their furthest status is recorded for the call-state endpoint.
    /// </summary>
    public virtual async Task<CallActivity?> ApplyAsync(IReadOnlyList<CallEventMessage> messages, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        if (messages.Count == 0) throw new ArgumentException("A group has at least one event.", nameof(messages));
        var group = CallEventGroup.Of(messages[0]);
        for (var i = 1; i < messages.Count; i++)
        {
            if (CallEventGroup.Of(messages[i]) != group)
            {
                throw new ArgumentException($"Event {i} belongs to {CallEventGroup.Of(messages[i])}, not to {group}.", nameof(messages));
            }
        }

        if (ActivityKey.Of(messages[0]) is not { } key)
        {
            // An agent leg's own status makes no activity; it is what the call-state endpoint shows the rep.
            if (agentLegs is not null)
            {
                var statuses = messages
                    .Where(m => m is { Kind: CallEventKind.CallStatus, CallStatus: not null })
                    .Select(m => (m.CallStatus!.Value, m.Timestamp ?? m.ReceivedAt))
                    .ToList();
                await agentLegs.RecordStatusesAsync(group.OrgId, group.CallSid, statuses, cancellationToken);
            }

            return null;
        }

        var change = await store.UpdateAsync(key, current => ActivityMerger.MergeAll(current, messages)!, StartsACall(messages), cancellationToken);
        await observer.OnMergedAsync(change, cancellationToken);
        return change.Current;
    }

    /// <summary>A call's first callbacks: its activity most likely does not exist yet, so the store may create it without reading.</summary>
    private static bool StartsACall(IReadOnlyList<CallEventMessage> messages) =>
        messages.Any(m => m is { Kind: CallEventKind.CallStatus, CallStatus: CallStatus.Queued or CallStatus.Initiated });
}
