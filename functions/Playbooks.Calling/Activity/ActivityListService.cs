using System.Globalization;
using Playbooks.Calling.Identity;
using Playbooks.Calling.Orgs;
using Playbooks.Calling.People;
using Playbooks.Calling.Storage;
using Playbooks.Calling.Teams;

namespace Playbooks.Calling.Activity;

/// <summary>The admin list's filters as the query string gives them; parsed and refused here with the field at fault.</summary>
public sealed record ActivityFilter(string? UserId = null, string? Method = null, string? Outcome = null, string? From = null, string? To = null);

/// <summary>
/// The call lists: a rep's recent calls, a manager's teams', and the admin list of the whole org, paged newest first
/// through the activities' time index.
/// </summary>
public class ActivityListService(ActivityStore store, ManagementScopes scopes, PersonStore people, TimeProvider time)
{
    public const int RecentLimit = 50;
    public static readonly TimeSpan RecentWindow = TimeSpan.FromDays(7);
    public static readonly TimeSpan DefaultListWindow = TimeSpan.FromDays(30);

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

        if (!string.IsNullOrEmpty(page.ContinuationToken) && !ActivityStore.IsListToken(page.ContinuationToken))
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
