using Playbooks.Calling.Activity;

namespace Playbooks.Calling.Calls;

/// <summary>
/// Keeps <see cref="OpenCallIndex"/> in step with the activities the writer merges: a prospect leg that has a status but
/// has not ended is open; one that ended is not. Only the merges that open or end a leg touch the index, plus replays
/// (an unchanged merge), so a step that failed is done again when its event comes back.
/// </summary>
public sealed class OpenCallTracker(OpenCallIndex index, TimeProvider time) : IActivityObserver
{
    public Task OnMergedAsync(ActivityChange change, CancellationToken cancellationToken)
    {
        var current = change.Current;
        if (current.Status is not { } status)
        {
            return Task.CompletedTask;
        }

        var wasOpen = change.Previous?.Status is { } before && !before.IsTerminal();
        if (status.IsTerminal())
        {
            return wasOpen || !change.Changed
                ? index.CloseAsync(current.OrgId, current.AgentCallSid, cancellationToken)
                : Task.CompletedTask;
        }

        return !wasOpen || !change.Changed
            ? index.OpenAsync(new OpenCall(current.OrgId, current.AgentCallSid, time.GetUtcNow()), cancellationToken)
            : Task.CompletedTask;
    }
}
