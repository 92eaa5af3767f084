using Azure;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Playbooks.Calling.CallEvents;
using Playbooks.Calling.OrgDirectory;
using Playbooks.Calling.Telemetry;

namespace Playbooks.Calling.Activity;

/// <summary>What one drain did with the messages it received.</summary>
public sealed record DrainResult(int Received, int Completed, int Abandoned, int DeadLettered, int SettleFailed);

/// <summary>
/// Drains the call-event queue into activities: batches processed with bounded parallelism; a merged event is
/// completed, a failed one retried after an exponential backoff (counted as abandoned), one the budget or shutdown left
/// untried handed back without spending an attempt, a poison one dead-lettered with a reason. It stops receiving when
/// its time budget is nearly spent, and every message it received is settled before it returns. A crash leaves
/// messages locked; they come back when the lock expires and the idempotent merge absorbs the replay.
/// </summary>
public class ActivityWriter(
    ICallEventSource source, ActivityService activities, IOptions<CallEventsOptions> options, TimeProvider time, ILogger<ActivityWriter> logger)
{
    public const string MaxDeliveryExceeded = "max-delivery-exceeded";
    public const string InvalidActivityKey = "invalid-activity-key";
    public const string ActivityWriteRejected = "activity-write-rejected";

    private enum Outcome { Completed, Abandoned, DeadLettered, SettleFailed }

    private static readonly string[] OutcomeNames = ["completed", "abandoned", "dead-lettered", "settle-failed"];

    public virtual async Task<DrainResult> DrainAsync(TimeSpan budget, CancellationToken cancellationToken)
    {
        var o = options.Value;
        var started = time.GetTimestamp();
        var counts = new int[4];
        var received = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            var left = budget - time.GetElapsedTime(started) - o.StopMargin;
            if (left <= TimeSpan.Zero) break;

            IReadOnlyList<LeasedCallEvent> batch;
            try
            {
                batch = await source.ReceiveAsync(o.BatchSize, left < o.ReceiveWait ? left : o.ReceiveWait, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }

            if (batch.Count == 0) break;
            received += batch.Count;
            // Not cancellable itself: a message that was received is always settled, abandoned if need be.
            await Parallel.ForEachAsync(batch, new ParallelOptions { MaxDegreeOfParallelism = o.MaxParallelism }, async (message, _) =>
            {
                using var span = CallTrace.StartProcess(message.TraceParent);
                var outcome = await ProcessAsync(message, span, started, budget, cancellationToken);
                Interlocked.Increment(ref counts[(int)outcome]);
                PlaybooksTelemetry.RecordDrained(span, OutcomeNames[(int)outcome]);
            });
        }

        return new DrainResult(received, counts[0], counts[1], counts[2], counts[3]);
    }

    private async Task<Outcome> ProcessAsync(LeasedCallEvent message, System.Diagnostics.Activity? span, long started, TimeSpan budget, CancellationToken cancellationToken)
    {
        try
        {
            if (cancellationToken.IsCancellationRequested || time.GetElapsedTime(started) >= budget)
            {
                return await AbandonAsync(message);
            }

            if (message.Attempts >= options.Value.MaxDeliveryCount)
            {
                return await DeadLetterAsync(message, MaxDeliveryExceeded,
                    $"Failed {message.Attempts} times; the limit is {options.Value.MaxDeliveryCount}.");
            }

            var parsed = CallEventSerializer.TryDeserialize(message.Body);
            if (parsed.Failure is { } poison)
            {
                return await DeadLetterAsync(message, poison.Code, poison.Detail);
            }

            var e = parsed.Value!;
            CallTrace.Identify(span, e);
            if (ActivityKey.Of(e) is { } key && !(TableKeys.IsValid(key.OrgId) && TableKeys.IsValid(key.AgentCallSid)))
            {
                return await DeadLetterAsync(message, InvalidActivityKey, $"'{key.OrgId}'/'{key.AgentCallSid}' cannot key a table row.");
            }

            try
            {
                using var write = CallTrace.StartActivityWrite(e);
                await activities.ApplyAsync(e, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // The host is stopping: hand the event back without calling it a failure.
                return await AbandonAsync(message);
            }
            catch (RequestFailedException ex) when (ex.Status is 400 or 413)
            {
                return await DeadLetterAsync(message, ActivityWriteRejected, $"Storage refused the activity ({ex.Status} {ex.ErrorCode}).");
            }
            catch (Exception ex)
            {
                // Storage, a write contention that outlasted the retries, or the CRM step: try again after a growing wait.
                var delay = options.Value.RetryDelay(message.Attempts);
                logger.LogWarning(ex, "Event {MessageId} (attempt {Attempt}) failed; retrying in {Delay}", message.MessageId, message.Attempts + 1, delay);
                await message.RetryLaterAsync(delay, CancellationToken.None);
                return Outcome.Abandoned;
            }

            await message.CompleteAsync(CancellationToken.None);
            PlaybooksTelemetry.DrainLag.Record((time.GetUtcNow() - e.ReceivedAt).TotalSeconds);
            return Outcome.Completed;
        }
        catch (Exception ex)
        {
            // The lease runs out and the message comes back; the merge makes processing it twice harmless.
            logger.LogWarning(ex, "Could not settle event {MessageId}; it is redelivered when its lock expires", message.MessageId);
            return Outcome.SettleFailed;
        }
    }

    private static async Task<Outcome> AbandonAsync(LeasedCallEvent message)
    {
        await message.AbandonAsync(CancellationToken.None);
        return Outcome.Abandoned;
    }

    private async Task<Outcome> DeadLetterAsync(LeasedCallEvent message, string reason, string description)
    {
        logger.LogWarning("Dead-lettering event {MessageId}: {Reason} ({Description})", message.MessageId, reason, description);
        await message.DeadLetterAsync(reason, description, CancellationToken.None);
        return Outcome.DeadLettered;
    }
}
