using System.Collections.Concurrent;
using Azure;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Playbooks.Calling.CallEvents;
using Playbooks.Calling.Storage;
using Playbooks.Calling.Telemetry;

namespace Playbooks.Calling.Activity;

/// <summary>What one drain did with the messages it received.</summary>
public sealed record DrainResult(int Received, int Completed, int Abandoned, int DeadLettered, int SettleFailed);

/// <summary>
/// Drains the call-event queue into activities. Each received batch is grouped by activity (<see cref="CallEventGroup"/>):
/// at most one read and one conditional write per activity per batch, not per event, with groups written in parallel up to
/// <see cref="CallEventsOptions.MaxParallelism"/> (the store puts the concurrent writes of one org in shared transactions). Every event keeps its own settlement: those of a group are completed
/// only after the group's write (and CRM step) succeeded; a failed group retries each of its events after that event's own
/// exponential backoff (counted as abandoned); events the budget or shutdown left untried are handed back without
/// spending an attempt; a poison event is dead-lettered with a reason. When storage refuses a group's write outright,
/// its events are tried one by one so only the one at fault is dead-lettered. A batch's messages are settled (one queue
/// call each) while the next batch is received and written. The writer stops receiving when its time
/// budget is nearly spent, and every message it received is settled before it returns. A crash leaves messages locked;
/// they come back when the lock expires and the idempotent merge absorbs the replay.
/// </summary>
public class ActivityWriter(
    ICallEventSource source, ActivityService activities, IOptions<CallEventsOptions> options, TimeProvider time, ILogger<ActivityWriter> logger)
{
    public const string MaxDeliveryExceeded = "max-delivery-exceeded";
    public const string InvalidActivityKey = "invalid-activity-key";
    public const string ActivityWriteRejected = "activity-write-rejected";

    private enum Outcome { Completed, Abandoned, DeadLettered, SettleFailed }

    private static readonly string[] OutcomeNames = ["completed", "abandoned", "dead-lettered", "settle-failed"];

    /// <summary>A received message whose event parsed and can be merged, with its process span (null when no one listens).</summary>
    private sealed record Parsed(LeasedCallEvent Message, CallEventMessage Event, System.Diagnostics.Activity? Span);

    public virtual async Task<DrainResult> DrainAsync(TimeSpan budget, CancellationToken cancellationToken)
    {
        var o = options.Value;
        var started = time.GetTimestamp();
        var counts = new int[4];
        var received = 0;
        // The settling (one queue call per message) of the batch before runs on while the next batch is received and written.
        var settling = Task.CompletedTask;
        try
        {
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
                var next = await WriteBatchAsync(batch, counts, started, budget, cancellationToken);
                await settling;
                settling = next;
            }
        }
        finally
        {
            await settling;
        }

        return new DrainResult(received, counts[0], counts[1], counts[2], counts[3]);
    }

    /// <summary>Writes a batch's groups in parallel; returns once all are written, with the settling of its messages still running.</summary>
    private async Task<Task> WriteBatchAsync(
        IReadOnlyList<LeasedCallEvent> batch, int[] counts, long started, TimeSpan budget, CancellationToken cancellationToken)
    {
        var settles = new ConcurrentQueue<Task>();
        void Settling(IEnumerable<Task<Outcome>> outcomes)
        {
            foreach (var outcome in outcomes) settles.Enqueue(CountAsync(outcome, counts));
        }

        // Poison is told apart first (no I/O); the rest is grouped by activity, in the order received.
        var groups = new Dictionary<CallEventGroup, List<Parsed>>();
        foreach (var message in batch)
        {
            var span = StartProcessSpan(message);
            var (parsed, poison) = Triage(message, span);
            if (parsed is null)
            {
                var (reason, description) = poison!.Value;
                Settling([SettleAsync(message, span, () => DeadLetterAsync(message, reason, description))]);
                continue;
            }

            var key = CallEventGroup.Of(parsed.Event);
            if (!groups.TryGetValue(key, out var group)) groups[key] = group = [];
            group.Add(parsed);
        }

        await Parallel.ForEachAsync(groups.Values, new ParallelOptions { MaxDegreeOfParallelism = options.Value.MaxParallelism }, async (group, _) =>
            Settling(await WriteGroupAsync(group, started, budget, cancellationToken)));
        return Task.WhenAll(settles);
    }

    private static async Task CountAsync(Task<Outcome> settle, int[] counts) => Interlocked.Increment(ref counts[(int)await settle]);

    /// <summary>The parsed event, or why the message can never be processed.</summary>
    private (Parsed? Parsed, (string Reason, string Description)? Poison) Triage(LeasedCallEvent message, System.Diagnostics.Activity? span)
    {
        if (message.Attempts >= options.Value.MaxDeliveryCount)
        {
            return (null, (MaxDeliveryExceeded, $"Failed {message.Attempts} times; the limit is {options.Value.MaxDeliveryCount}."));
        }

        var parsed = CallEventSerializer.TryDeserialize(message.Body);
        if (parsed.Failure is { } poison)
        {
            return (null, (poison.Code, poison.Detail));
        }

        var e = parsed.Value!;
        CallTrace.Identify(span, e);
        if (ActivityKey.Of(e) is { } key && !(TableKeys.IsValid(key.OrgId) && TableKeys.IsValid(key.AgentCallSid)))
        {
            return (null, (InvalidActivityKey, $"'{key.OrgId}'/'{key.AgentCallSid}' cannot key a table row."));
        }

        return (new Parsed(message, e, span), null);
    }

    /// <summary>Merges a group's events into their activity with one write; returns the settling of each event, started once the write is done.</summary>
    private async Task<IReadOnlyList<Task<Outcome>>> WriteGroupAsync(List<Parsed> group, long started, TimeSpan budget, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested || time.GetElapsedTime(started) >= budget)
        {
            return SettleEach(group, p => AbandonAsync(p.Message));
        }

        try
        {
            // The write's span is a child of the first event's process span (this flows only into the write below).
            System.Diagnostics.Activity.Current = group[0].Span ?? System.Diagnostics.Activity.Current;
            using var write = CallTrace.StartActivityWrite(group[0].Event);
            await activities.ApplyAsync(group.Select(p => p.Event).ToList(), cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The host is stopping: hand the events back without calling it a failure.
            return SettleEach(group, p => AbandonAsync(p.Message));
        }
        catch (RequestFailedException ex) when (ex.Status is 400 or 413)
        {
            if (group.Count == 1)
            {
                return SettleEach(group, p =>
                    DeadLetterAsync(p.Message, ActivityWriteRejected, $"Storage refused the activity ({ex.Status} {ex.ErrorCode})."));
            }

            // One event made the activity unstorable: find it by writing the events one at a time.
            var outcomes = new List<Task<Outcome>>(group.Count);
            foreach (var p in group)
            {
                outcomes.AddRange(await WriteGroupAsync([p], started, budget, cancellationToken));
            }

            return outcomes;
        }
        catch (Exception ex)
        {
            // Storage, a write contention that outlasted the retries, or the CRM step: try again after a growing wait.
            logger.LogWarning(ex, "{Count} event(s) of {Group} failed; each is retried after its own backoff", group.Count, CallEventGroup.Of(group[0].Event));
            return SettleEach(group, async p =>
            {
                var delay = options.Value.RetryDelay(p.Message.Attempts);
                logger.LogDebug("Event {MessageId} (attempt {Attempt}) retries in {Delay}", p.Message.MessageId, p.Message.Attempts + 1, delay);
                await p.Message.RetryLaterAsync(delay, CancellationToken.None);
                return Outcome.Abandoned;
            });
        }

        return SettleEach(group, async p =>
        {
            await p.Message.CompleteAsync(CancellationToken.None);
            PlaybooksTelemetry.DrainLag.Record((time.GetUtcNow() - p.Event.ReceivedAt).TotalSeconds);
            return Outcome.Completed;
        });
    }

    private List<Task<Outcome>> SettleEach(List<Parsed> group, Func<Parsed, Task<Outcome>> settle) =>
        group.Select(p => SettleAsync(p.Message, p.Span, () => settle(p))).ToList();

    /// <summary>The message's process span, started without becoming the current span of the batch loop.</summary>
    private static System.Diagnostics.Activity? StartProcessSpan(LeasedCallEvent message)
    {
        var current = System.Diagnostics.Activity.Current;
        var span = CallTrace.StartProcess(message.TraceParent);
        System.Diagnostics.Activity.Current = current;
        return span;
    }

    private async Task<Outcome> SettleAsync(LeasedCallEvent message, System.Diagnostics.Activity? span, Func<Task<Outcome>> settle)
    {
        var outcome = Outcome.SettleFailed;
        try
        {
            return outcome = await settle();
        }
        catch (Exception ex)
        {
            // The lease runs out and the message comes back; the merge makes processing it twice harmless.
            logger.LogWarning(ex, "Could not settle event {MessageId}; it is redelivered when its lock expires", message.MessageId);
            return outcome;
        }
        finally
        {
            PlaybooksTelemetry.RecordDrained(span, OutcomeNames[(int)outcome]);
            span?.Dispose();
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
