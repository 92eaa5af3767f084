using Microsoft.Extensions.Logging;
using Playbooks.Calling.CallEvents;
using Playbooks.Calling.Calls;
using Playbooks.Calling.Identity;
using Playbooks.Calling.Storage;

namespace Playbooks.Calling.Activity;

/// <summary>A rep's disposition and notes on their own call.</summary>
public class DispositionService(
    ActivityStore store,
    CallLedger calls,
    IActivityObserver observer,
    ICallEventPublisher publisher,
    TimeProvider time,
    ILogger<DispositionService> logger)
{
    /// <summary>
    /// Saves the rep's disposition and notes on their own call (404 for anyone else's, or another org's). Applied
    /// directly rather than queued: the owner check reads the activity anyway, the rep sees the result at once, and a
    /// failed write is an error the rep can retry rather than a message lost from view. It is still a disposition
    /// event through <see cref="ActivityMerger"/> under the ETag, so it commutes with status events being written.
    /// </summary>
    public virtual async Task<Result<CallActivity>> SetDispositionAsync(
        Caller caller, string callSid, DispositionInput input, CancellationToken cancellationToken = default)
    {
        if (Dispositions.Validate(input) is { } invalid) return invalid;
        var key = new ActivityKey(caller.OrgId, callSid);
        if (!TableKeys.IsValid(callSid)) return Failure.NotFound("Call");
        // Until Twilio's first callback has been written the activity has no rep; the call ledger knows who placed it,
        // so a rep can disposition a call that ended before its activity caught up.
        var existing = await store.GetAsync(key, cancellationToken);
        var owner = existing?.UserId ?? (await calls.GetAsync(caller.OrgId, callSid, cancellationToken))?.UserId;
        if (owner != caller.UserId) return Failure.NotFound("Call");

        var now = time.GetUtcNow();
        var notes = string.IsNullOrWhiteSpace(input.Notes) ? null : input.Notes;
        var message = CallEventMessage.ForDisposition(caller.OrgId, callSid, caller.UserId, input.Disposition, notes, now, now);
        var change = await store.UpdateAsync(key, current => ActivityMerger.Merge(current, message), cancellationToken);
        try
        {
            await observer.OnMergedAsync(change, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The disposition is saved; queue it so the writer retries the CRM step (the merge itself is a no-op then).
            logger.LogWarning(ex, "CRM step failed for call {CallSid}; queued for retry", callSid);
            await publisher.PublishAsync(message, cancellationToken);
        }

        return change.Current;
    }
}
