using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Playbooks.Calling.Activity;
using Playbooks.Calling.Orgs;

namespace Playbooks.Calling.Calls;

/// <summary>Why our server hung a call up, as the activity records it.</summary>
public static class ServerEndReasons
{
    /// <summary>Open longer than the org's <c>maxCallMinutes</c>.</summary>
    public const string CallTooLong = "call-too-long";

    /// <summary>The rep's own leg (their phone) ended while the prospect's stayed up.</summary>
    public const string RepGone = "rep-gone";
}

/// <summary>What one sweep did: calls looked at, calls it hung up, and index rows it dropped for calls already over.</summary>
public sealed record SweepResult(int Examined, int Ended, int Dropped);

/// <summary>
/// Ends calls nobody ended: a call open longer than its org's <c>maxCallMinutes</c>, or whose rep's leg ended while the
/// prospect's stayed up for <see cref="OpenCallsOptions.RepGoneAfter"/>. Twilio's <c>&lt;Dial timeLimit&gt;</c> bounds
/// a bridged call; this also covers what it cannot see (a lost callback, a leg the Dial does not time, a rep who is gone).
/// Both legs are hung up through Twilio's REST API and the activity records why. Reads only the open-call index, then
/// three point reads per candidate (org, activity, agent leg) in parallel.
/// </summary>
public class OpenCallSweeper(
    OpenCallIndex index,
    OrgStore orgs,
    ActivityStore activities,
    AgentLegStateStore agentLegs,
    TwilioCallGateway gateway,
    IOptions<OpenCallsOptions> options,
    TimeProvider time,
    ILogger<OpenCallSweeper> logger)
{
    private const int Parallelism = 4;

    public virtual async Task<SweepResult> RunAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        var now = time.GetUtcNow();
        var shortest = o.RepGoneAfter < TimeSpan.FromMinutes(OrgSettings.MinMaxCallMinutes) ? o.RepGoneAfter : TimeSpan.FromMinutes(OrgSettings.MinMaxCallMinutes);
        var candidates = await index.OpenedBeforeAsync(now - shortest, o.MaxCallsPerRun, cancellationToken);
        int ended = 0, dropped = 0;
        await Parallel.ForEachAsync(candidates, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken }, async (call, ct) =>
        {
            try
            {
                switch (await SweepAsync(call, now, o, ct))
                {
                    case Swept.Ended: Interlocked.Increment(ref ended); break;
                    case Swept.Dropped: Interlocked.Increment(ref dropped); break;
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // One call's storage trouble must not stop the others; it is looked at again next run.
                logger.LogWarning(ex, "Could not sweep call {CallSid} of org {OrgId}", call.AgentCallSid, call.OrgId);
            }
        });

        return new SweepResult(candidates.Count, ended, dropped);
    }

    private enum Swept { Left, Ended, Dropped }

    private async Task<Swept> SweepAsync(OpenCall call, DateTimeOffset now, OpenCallsOptions o, CancellationToken cancellationToken)
    {
        var orgRead = orgs.GetAsync(call.OrgId, cancellationToken);
        var activityRead = activities.GetAsync(new ActivityKey(call.OrgId, call.AgentCallSid), cancellationToken);
        var agentRead = agentLegs.GetAsync(call.OrgId, call.AgentCallSid, cancellationToken);
        var org = await orgRead;
        var activity = await activityRead;
        var agent = await agentRead;

        if (activity?.Status is not { } status || status.IsTerminal())
        {
            // The leg ended and the index missed it (or the activity is gone): nothing to hang up.
            await index.CloseAsync(call.OrgId, call.AgentCallSid, cancellationToken);
            return Swept.Dropped;
        }

        var age = now - call.OpenedAt;
        var limit = TimeSpan.FromMinutes(org?.MaxCallMinutes ?? OrgSettings.DefaultMaxCallMinutes);
        var reason = age > limit ? ServerEndReasons.CallTooLong
            : agent?.Status is { } agentStatus && agentStatus.IsTerminal() && now - (agent.StatusAt ?? call.OpenedAt) >= o.RepGoneAfter ? ServerEndReasons.RepGone
            : null;
        if (reason is null)
        {
            return Swept.Left;
        }

        // Hanging up the agent leg ends its <Dial>; the prospect leg is hung up too, in case the two came apart.
        var agentEnd = gateway.EndCallAsync(call.AgentCallSid, cancellationToken);
        var prospectEnd = activity.ProspectCallSid is { } prospectSid && prospectSid != call.AgentCallSid
            ? gateway.EndCallAsync(prospectSid, cancellationToken)
            : Task.FromResult<Result<CallEndOutcome>>(CallEndOutcome.AlreadyEnded);
        var outcomes = await Task.WhenAll(agentEnd, prospectEnd);
        if (outcomes.Select(r => r.Failure).FirstOrDefault(f => f is { Kind: not FailureKind.NotFound }) is { } failure)
        {
            logger.LogWarning("Could not end call {CallSid} ({Reason}): {Code}; trying again next run", call.AgentCallSid, reason, failure.Code);
            return Swept.Left;
        }

        logger.LogInformation("Ended call {CallSid} of org {OrgId}: {Reason} after {Minutes:F0} minutes", call.AgentCallSid, call.OrgId, reason, age.TotalMinutes);
        var message = new CallEventMessage
        {
            Kind = CallEventKind.ServerEnded,
            OrgId = call.OrgId,
            CallSid = call.AgentCallSid,
            EndReason = reason,
            Timestamp = now,
            ReceivedAt = now,
        };
        await activities.UpdateAsync(new ActivityKey(call.OrgId, call.AgentCallSid), current => ActivityMerger.Merge(current, message), cancellationToken);
        await index.CloseAsync(call.OrgId, call.AgentCallSid, cancellationToken);
        return Swept.Ended;
    }
}
