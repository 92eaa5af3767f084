using System.Globalization;
using Microsoft.Extensions.Logging;
using Playbooks.Calling.CallEvents;
using Playbooks.Calling.Calls;
using Playbooks.Calling.Identity;
using Playbooks.Calling.OrgDirectory;
using Playbooks.Calling.Orgs;
using Playbooks.Calling.People;
using Playbooks.Calling.Teams;

namespace Playbooks.Calling.Activity;

/// <summary>The admin list's filters as the query string gives them; parsed and refused here with the field at fault.</summary>
public sealed record ActivityFilter(string? UserId = null, string? Method = null, string? Outcome = null, string? From = null, string? To = null);

/// <summary>
/// Call activities: merging events into them (the writer), the lists reps, managers and admins see, and the rep's
/// disposition. A rep sees their own calls; a manager also their teams' reps'; an admin lists the whole org.
/// </summary>
public class ActivityService(
    ActivityStore store,
    ManagementScopes scopes,
    PersonStore people,
    CallLedger calls,
    IActivityObserver observer,
    ICallEventPublisher publisher,
    TimeProvider time,
    ILogger<ActivityService> logger,
    Calls.AgentLegStateStore? agentLegs)
{
    /// <summary>Without an agent-leg state store: agent legs' statuses are dropped (no call-state endpoint).</summary>
    public ActivityService(
        ActivityStore store,
        ManagementScopes scopes,
        PersonStore people,
        CallLedger calls,
        IActivityObserver observer,
        ICallEventPublisher publisher,
        TimeProvider time,
        ILogger<ActivityService> logger)
        : this(store, scopes, people, calls, observer, publisher, time, logger, null)
    {
    }

    public const int RecentLimit = 50;
    public static readonly TimeSpan RecentWindow = TimeSpan.FromDays(7);
    public static readonly TimeSpan DefaultListWindow = TimeSpan.FromDays(30);

    /// <summary>
    /// Merges one event into its activity, saves it and runs the CRM step. Throws when either fails, so the queue
    /// delivers the event again. Null for an event that makes no activity (an agent leg's own status).
    /// </summary>
    public virtual Task<CallActivity?> ApplyAsync(CallEventMessage message, CancellationToken cancellationToken = default) =>
        ApplyAsync([message], cancellationToken);

    /// <summary>
    /// Merges events of one activity (<see cref="CallEventGroup.Of"/> gives them all the same group) with one read and
    /// at most one conditional write, then runs the CRM step once. A lost race re-reads and merges the whole group again.
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

        var change = await store.UpdateAsync(key, current => ActivityMerger.MergeAll(current, messages)!, cancellationToken);
        await observer.OnMergedAsync(change, cancellationToken);
        return change.Current;
    }

    /// <summary>The caller's calls of the last week, newest first; a manager's include their teams' reps'.</summary>
    public virtual async Task<Result<CallActivity[]>> RecentAsync(Caller caller, CancellationToken cancellationToken = default)
    {
        IReadOnlySet<string>? users = new HashSet<string>(StringComparer.Ordinal) { caller.UserId };
        if (caller.IsManager)
        {
            var scope = await scopes.ForAsync(caller, cancellationToken);
            users = scope.Value!.WholeOrg ? null : await UsersInAsync(caller, scope.Value, cancellationToken);
        }

        var query = new ActivityQuery(time.GetUtcNow() - RecentWindow, null, users);
        var page = await store.ListAsync(caller.OrgId, query, new PageRequest(RecentLimit), cancellationToken);
        return page.Items.ToArray();
    }

    /// <summary>The admin list: an admin's whole org, a manager's teams; filters by rep, method, outcome and time.</summary>
    public virtual async Task<Result<PagedList<CallActivity>>> ListAsync(
        Caller caller, ActivityFilter filter, PageRequest page, CancellationToken cancellationToken = default)
    {
        var scope = await scopes.ForAsync(caller, cancellationToken);
        if (scope.Failure is { } forbidden) return forbidden;
        var query = Parse(filter);
        if (query.Failure is { } invalid) return invalid;
        if (page.PageSize is < 1 or > PageRequest.MaxPageSize)
        {
            return Failure.Invalid("pageSize", $"pageSize must be between 1 and {PageRequest.MaxPageSize}.");
        }

        if (!string.IsNullOrEmpty(page.ContinuationToken) && !ActivityStore.TryParseToken(page.ContinuationToken, out _))
        {
            return Failure.Invalid("continuationToken", "continuationToken is not one this API returned.");
        }

        if (filter.UserId is { Length: > 0 } requested && !TableKeys.IsValid(requested))
        {
            return Failure.Invalid("userId", "userId is not a user id.");
        }

        IReadOnlySet<string>? users = scope.Value!.WholeOrg ? null : await UsersInAsync(caller, scope.Value, cancellationToken);
        if (filter.UserId is { Length: > 0 } userId)
        {
            users = users is null || users.Contains(userId) ? new HashSet<string>(StringComparer.Ordinal) { userId } : new HashSet<string>();
        }

        return await store.ListAsync(caller.OrgId, query.Value! with { UserIds = users }, page, cancellationToken);
    }

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

    private async Task<IReadOnlySet<string>> UsersInAsync(Caller caller, ManagementScope scope, CancellationToken cancellationToken)
    {
        var users = new HashSet<string>(StringComparer.Ordinal) { caller.UserId };
        string? token = null;
        do
        {
            var page = await people.ListAsync(
                caller.OrgId, new PeopleFilter(scope.TeamIds), new PageRequest(PageRequest.MaxPageSize, token), cancellationToken);
            users.UnionWith(page.Items.Select(p => p.UserId));
            token = page.ContinuationToken;
        }
        while (token is not null);

        return users;
    }

    private Result<ActivityQuery> Parse(ActivityFilter filter)
    {
        CallingMethod? method = null;
        if (!string.IsNullOrEmpty(filter.Method))
        {
            if (!CallingMethodNames.TryParse(filter.Method, out var m)) return Failure.Invalid("method", "method must be computer or phone.");
            method = m;
        }

        CallOutcome? outcome = null;
        if (!string.IsNullOrEmpty(filter.Outcome))
        {
            if (!CallOutcomeNames.TryParse(filter.Outcome, out var o))
            {
                return Failure.Invalid("outcome", $"outcome must be one of: {string.Join(", ", CallOutcomeNames.All)}.");
            }

            outcome = o;
        }

        if (!TryParseTime(filter.From, out var from)) return Failure.Invalid("from", TimeRule("from"));
        if (!TryParseTime(filter.To, out var to)) return Failure.Invalid("to", TimeRule("to"));
        if (from is { } f && to is { } t && f > t) return Failure.Invalid("from", "from must not be after to.");
        return new ActivityQuery(from ?? (to ?? time.GetUtcNow()) - DefaultListWindow, to, null, method, outcome);
    }

    /// <summary>The times a list filter accepts: storage refuses dates before 1601, and the default window subtracts days.</summary>
    public static readonly DateTimeOffset EarliestFilterTime = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static readonly DateTimeOffset LatestFilterTime = new(2100, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static string TimeRule(string field) =>
        $"{field} must be an ISO 8601 date or time from {EarliestFilterTime:yyyy-MM-dd} up to {LatestFilterTime:yyyy-MM-dd}.";

    private static bool TryParseTime(string? text, out DateTimeOffset? value)
    {
        value = null;
        if (string.IsNullOrEmpty(text)) return true;
        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed)
            || parsed < EarliestFilterTime || parsed >= LatestFilterTime)
        {
            return false;
        }

        value = parsed;
        return true;
    }
}
