using System.Globalization;
using Azure;
using Azure.Data.Tables;
using Playbooks.Calling.Crm;
using Playbooks.Calling.OrgDirectory;
using Playbooks.Calling.Orgs;
using Playbooks.Calling.Storage;

namespace Playbooks.Calling.Activity;

/// <summary>Which activities a list returns: a time window (by the call's earliest time) and optional filters.</summary>
public sealed record ActivityQuery(
    DateTimeOffset From,
    DateTimeOffset? To = null,
    IReadOnlySet<string>? UserIds = null,
    CallingMethod? Method = null,
    CallOutcome? Outcome = null);

/// <summary>
/// The Activities table. Every write is conditional on the ETag read, and a lost race (412, or 409 when two
/// writers create the same row) re-reads and re-applies the change, so parallel writers never drop an update.
/// </summary>
public class ActivityStore(TableServiceClient tables, TimeProvider time) : IActivityRepository
{
    public const int MaxAttempts = 10;

    // Table Storage allows 15 comparisons per filter; past that, users are filtered in memory.
    private const int MaxServerUserFilter = 10;
    private const int ScanPageSize = 1000;

    private TableClient Table => tables.GetTableClient(TableNames.Activities);

    public virtual async Task<CallActivity?> GetAsync(ActivityKey key, CancellationToken cancellationToken = default) =>
        (await ReadAsync(key, cancellationToken))?.ToActivity();

    /// <summary>
    /// Applies <paramref name="change"/> to the stored activity (null when there is none) and saves the result. Writes
    /// nothing when the result equals what is stored. Throws <see cref="RequestFailedException"/> when storage fails or
    /// the row stays contended for <see cref="MaxAttempts"/> tries.
    /// </summary>
    public virtual async Task<ActivityChange> UpdateAsync(
        ActivityKey key, Func<CallActivity?, CallActivity> change, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        for (var attempt = 1; ; attempt++)
        {
            var stored = await ReadAsync(key, cancellationToken);
            var before = stored?.ToActivity();
            var after = change(before);
            if (after.Key != key)
            {
                throw new ArgumentException($"The change moved activity {key} to {after.Key}.", nameof(change));
            }

            if (after == before)
            {
                return new ActivityChange(before, after);
            }

            try
            {
                if (stored is null)
                {
                    await Table.AddEntityAsync(ActivityEntity.From(after, time.GetUtcNow()), cancellationToken);
                }
                else
                {
                    await Table.UpdateEntityAsync(ActivityEntity.From(after, stored.FirstSeenAt), stored.ETag, TableUpdateMode.Replace, cancellationToken);
                }

                return new ActivityChange(before, after);
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412 && attempt < MaxAttempts)
            {
                // Spread the retries of writers that collided so they don't collide again.
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(1, 10 * attempt)), cancellationToken);
            }
        }
    }

    /// <summary>Newest call first (ties by call SID); the continuation token is the position of the page's last activity.</summary>
    public virtual async Task<PagedList<CallActivity>> ListAsync(
        string orgId, ActivityQuery query, PageRequest page, CancellationToken cancellationToken = default)
    {
        if (query.UserIds is { Count: 0 })
        {
            return new PagedList<CallActivity>([], null);
        }

        var after = TryParseToken(page.ContinuationToken, out var position) ? position : null;
        var to = after?.At ?? query.To;
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {orgId} and CallAt ge {query.From.ToUniversalTime()}");
        if (to is { } upper) filter += " and " + TableClient.CreateQueryFilter($"CallAt le {upper.ToUniversalTime()}");
        if (query.Method is { } method) filter += " and " + TableClient.CreateQueryFilter($"Method eq {method.ToWire()}");
        if (query.Outcome is { } outcome) filter += " and " + TableClient.CreateQueryFilter($"Outcome eq {CallOutcomeNames.ToWire(outcome)}");
        if (query.UserIds is { Count: <= MaxServerUserFilter } users) filter += $" and ({TableQueries.AnyOf(nameof(ActivityEntity.UserId), users)})";

        var rows = new List<(DateTimeOffset At, CallActivity Activity)>();
        await foreach (var entity in Table.QueryAsync<ActivityEntity>(TableQueries.Checked(filter), ScanPageSize, cancellationToken: cancellationToken))
        {
            if (query.UserIds is { } ids && (entity.UserId is null || !ids.Contains(entity.UserId))) continue;
            if (after is { } a && (entity.CallAt > a.At || (entity.CallAt == a.At && string.CompareOrdinal(entity.RowKey, a.Sid) <= 0))) continue;
            rows.Add((entity.CallAt, entity.ToActivity()));
        }

        var ordered = rows.OrderByDescending(r => r.At).ThenBy(r => r.Activity.AgentCallSid, StringComparer.Ordinal).ToList();
        var items = ordered.Take(page.PageSize).ToList();
        var token = ordered.Count > page.PageSize ? Token(items[^1].At, items[^1].Activity.AgentCallSid) : null;
        return new PagedList<CallActivity>(items.Select(r => r.Activity).ToList(), token);
    }

    async Task<StoredActivity?> IActivityRepository.GetAsync(ActivityKey key, CancellationToken cancellationToken) =>
        await ReadAsync(key, cancellationToken) is { } entity ? new StoredActivity(entity.ToActivity(), entity.ETag.ToString()) : null;

    async Task<IReadOnlyList<StoredActivity>> IActivityRepository.ListByCrmSyncAsync(
        string orgId, CrmSyncState state, int max, CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {orgId} and CrmSync eq {CrmSyncNames.ToWire(state)}");
        var found = new List<StoredActivity>();
        await foreach (var entity in Table.QueryAsync<ActivityEntity>(filter, Math.Min(max, ScanPageSize), cancellationToken: cancellationToken))
        {
            found.Add(new StoredActivity(entity.ToActivity(), entity.ETag.ToString()));
            if (found.Count >= max) break;
        }

        return found;
    }

    async Task<string?> IActivityRepository.TryReplaceAsync(CallActivity activity, string version, CancellationToken cancellationToken)
    {
        var stored = await ReadAsync(activity.Key, cancellationToken);
        if (stored is null || stored.ETag.ToString() != version)
        {
            return null;
        }

        try
        {
            var response = await Table.UpdateEntityAsync(ActivityEntity.From(activity, stored.FirstSeenAt), new ETag(version), TableUpdateMode.Replace, cancellationToken);
            return response.Headers.ETag?.ToString();
        }
        catch (RequestFailedException e) when (e.Status == 412)
        {
            return null;
        }
    }

    public static bool TryParseToken(string? token, out (DateTimeOffset At, string Sid)? position)
    {
        position = null;
        if (string.IsNullOrEmpty(token)) return false;
        if (!ContinuationTokens.TryDecode(token, out var text) || text is null) return false;
        var bar = text.IndexOf('|', StringComparison.Ordinal);
        if (bar <= 0 || !long.TryParse(text[..bar], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            || ticks < ActivityService.EarliestFilterTime.UtcTicks || ticks >= ActivityService.LatestFilterTime.UtcTicks
            || bar == text.Length - 1)
        {
            return false;
        }

        position = (new DateTimeOffset(ticks, TimeSpan.Zero), text[(bar + 1)..]);
        return true;
    }

    private static string Token(DateTimeOffset at, string sid) =>
        ContinuationTokens.Encode($"{at.UtcTicks.ToString(CultureInfo.InvariantCulture)}|{sid}");

    private async Task<ActivityEntity?> ReadAsync(ActivityKey key, CancellationToken cancellationToken) =>
        await TableQueries.GetOrNullAsync<ActivityEntity>(Table, key.OrgId, key.AgentCallSid, cancellationToken);
}
