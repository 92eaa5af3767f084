using System.Collections.Concurrent;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Caching.Memory;
using Playbooks.Calling.Crm;
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
/// Each activity row is written in one transaction with its row in the time index (<see cref="ActivityListEntry"/>),
/// which lists page through; concurrent writes of one org share a transaction (<see cref="ActivityTransactions"/>).
/// The activities this instance wrote are kept a short while with their ETag, so the next change to one needs no read;
/// another writer's change shows as a 412, which drops the entry and reads the row.
/// </summary>
public class ActivityStore(TableServiceClient tables, TimeProvider time) : IActivityRepository
{
    public const int MaxAttempts = 10;

    /// <summary>How many written activities are kept (each a few kilobytes), and for how long after their last write.</summary>
    public const int CachedActivities = 4096;

    public static readonly TimeSpan CacheLifetime = TimeSpan.FromMinutes(2);

    // Entity group transactions take at most 100 operations; a listed activity is two or three of them.
    private const int BackfillChunk = 33;
    private const int ScanPageSize = 1000;

    private readonly ConcurrentDictionary<string, bool> _listedOrgs = new(StringComparer.Ordinal);

    private readonly MemoryCache _written = new(new MemoryCacheOptions { SizeLimit = CachedActivities });

    private readonly ActivityTransactions _transactions = new(tables.GetTableClient(TableNames.Activities));

    private TableClient Table => tables.GetTableClient(TableNames.Activities);

    /// <summary>How many writes of an org wait for its transaction in flight.</summary>
    internal int WaitingWrites(string orgId) => _transactions.Waiting(orgId);

    public virtual async Task<CallActivity?> GetAsync(ActivityKey key, CancellationToken cancellationToken = default) =>
        (await ReadAsync(key, cancellationToken))?.ToActivity();

    /// <summary>
    /// Applies <paramref name="change"/> to the stored activity (null when there is none) and saves the result. Writes
    /// nothing when the result equals what is stored. Throws <see cref="RequestFailedException"/> when storage fails or
    /// the row stays contended for <see cref="MaxAttempts"/> tries.
    /// </summary>
    public virtual Task<ActivityChange> UpdateAsync(
        ActivityKey key, Func<CallActivity?, CallActivity> change, CancellationToken cancellationToken = default) =>
        UpdateAsync(key, change, likelyNew: false, cancellationToken);

    /// <summary>
    /// As <see cref="UpdateAsync(ActivityKey, Func{CallActivity?, CallActivity}, CancellationToken)"/>. The first try
    /// starts from the activity as this instance last wrote it, when it still knows it; else, when
    /// <paramref name="likelyNew"/>, it creates the activity without reading (a 409 says it exists, and it is read).
    /// A change that leaves the remembered activity as it is reads the row to be sure, so what is returned is what storage holds.
    /// </summary>
    public virtual async Task<ActivityChange> UpdateAsync(
        ActivityKey key, Func<CallActivity?, CallActivity> change, bool likelyNew, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        if (!IsActivityKey(key.AgentCallSid))
        {
            throw new ArgumentException($"'{key.AgentCallSid}' cannot be an activity's call SID.", nameof(key));
        }

        var guess = true;
        for (var attempt = 1; ; attempt++)
        {
            Snapshot? stored = null;
            var guessed = guess && (_written.TryGetValue(key, out stored) || likelyNew);
            if (!guessed)
            {
                stored = await ReadAsync(key, cancellationToken) is { } entity ? Snapshot.Of(entity) : null;
            }

            guess = false;
            var before = stored?.Activity;
            var after = change(before);
            if (after.Key != key)
            {
                throw new ArgumentException($"The change moved activity {key} to {after.Key}.", nameof(change));
            }

            if (after == before)
            {
                if (guessed)
                {
                    // Nothing to write: make sure of what storage holds (another instance may have moved on).
                    _written.Remove(key);
                    continue;
                }

                return new ActivityChange(before, after);
            }

            try
            {
                await SaveAsync(after, stored, cancellationToken);
                return new ActivityChange(before, after);
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412 && attempt < MaxAttempts)
            {
                // Spread the retries of writers that collided so they don't collide again; a wrong guess just reads.
                if (!guessed) await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(1, 10 * attempt)), cancellationToken);
            }
        }
    }

    /// <summary>
    /// Newest call first (ties by call SID), one range query of the time index per page (split in a few when many reps
    /// are filtered, to stay within Table Storage's 15 comparisons), so a page reads at most about a page of rows
    /// whatever the window. The continuation token is the index key of the page's last activity.
    /// </summary>
    public virtual async Task<PagedList<CallActivity>> ListAsync(
        string orgId, ActivityQuery query, PageRequest page, CancellationToken cancellationToken = default)
    {
        if (query.UserIds is { Count: 0 })
        {
            return new PagedList<CallActivity>([], null);
        }

        await EnsureListedAsync(orgId, cancellationToken);
        var newest = ActivityListEntry.Position(query.To ?? DateTimeOffset.MaxValue);
        var beyondOldest = ActivityListEntry.Position(query.From.AddTicks(-1));
        var filter = TableClient.CreateQueryFilter($"RowKey ge {newest} and RowKey lt {beyondOldest}");
        if (query.Method is { } method) filter += " and " + TableClient.CreateQueryFilter($"Method eq {method.ToWire()}");
        if (query.Outcome is { } outcome) filter += " and " + TableClient.CreateQueryFilter($"Outcome eq {CallOutcomeNames.ToWire(outcome)}");
        (string, IReadOnlyCollection<string>)? users = query.UserIds is { } ids ? (nameof(ActivityListEntry.UserId), ids) : null;
        return await TableQueries.ReadPageAsync<ActivityListEntry, CallActivity>(
            Table, orgId, filter, users, page, e => e.ToActivity(), null, cancellationToken);
    }

    /// <summary>Whether a continuation token is one <see cref="ListAsync"/> returned.</summary>
    public static bool IsListToken(string? token) =>
        ContinuationTokens.TryDecode(token, out var rowKey) && ActivityListEntry.IsKey(rowKey);

    /// <summary>
    /// Lists the org's activities written before the time index existed, once: each unlisted row gets its index row in
    /// a transaction conditional on the row's ETag (a row a writer changed meanwhile was listed by that writer), then
    /// the org is marked as listed. Reads a page of rows at a time.
    /// </summary>
    public virtual async Task EnsureListedAsync(string orgId, CancellationToken cancellationToken = default)
    {
        if (_listedOrgs.ContainsKey(orgId))
        {
            return;
        }
        if ((await Table.GetEntityIfExistsAsync<TableEntity>(orgId, ActivityListEntry.BuiltRowKey, cancellationToken: cancellationToken)).HasValue)
        {
            _listedOrgs[orgId] = true;
            return;
        }
        var rows = TableClient.CreateQueryFilter($"PartitionKey eq {orgId} and RowKey lt {"~"}");
        await foreach (var scanned in Table.QueryAsync<ActivityEntity>(rows, ScanPageSize, cancellationToken: cancellationToken).AsPages())
        {
            foreach (var chunk in scanned.Values.Where(e => e.ListedAs is null).Chunk(BackfillChunk))
            {
                await ListRowsAsync(chunk, cancellationToken);
            }
        }
        await Table.UpsertEntityAsync(new TableEntity(orgId, ActivityListEntry.BuiltRowKey) { ["At"] = time.GetUtcNow() }, TableUpdateMode.Replace, cancellationToken);
        _listedOrgs[orgId] = true;
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
            return await SaveAsync(activity, Snapshot.Of(stored), cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 412)
        {
            return null;
        }
    }

    /// <summary>
    /// Writes the activity row and its index row in one transaction (shared with other writes of the org), and removes
    /// the index row of its old call time; the activity's new ETag, which is remembered with the activity. A 409 (created
    /// meanwhile) or 412 (changed meanwhile) fails the write, and the activity is forgotten until it is read again.
    /// </summary>
    private async Task<string?> SaveAsync(CallActivity activity, Snapshot? stored, CancellationToken cancellationToken)
    {
        var next = ActivityEntity.From(activity, stored?.FirstSeenAt ?? time.GetUtcNow());
        var listed = ActivityListEntry.Of(next);
        next.ListedAs = listed.RowKey;
        var actions = new List<TableTransactionAction>(3)
        {
            stored is null
                ? new TableTransactionAction(TableTransactionActionType.Add, next)
                : new TableTransactionAction(TableTransactionActionType.UpdateReplace, next, stored.ETag),
            new TableTransactionAction(TableTransactionActionType.UpsertReplace, listed),
        };
        if (stored?.ListedAs is { } old && old != listed.RowKey)
        {
            actions.Add(new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(next.PartitionKey, old), ETag.All));
        }

        Response response;
        try
        {
            response = await _transactions.SubmitAsync(next.PartitionKey, actions, 2 * next.Activity.Length, cancellationToken);
        }
        catch
        {
            _written.Remove(activity.Key);
            throw;
        }

        if (response.Headers.ETag is { } etag)
        {
            _written.Set(activity.Key, new Snapshot(activity, next.FirstSeenAt, next.ListedAs, etag),
                new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = CacheLifetime });
        }
        else
        {
            _written.Remove(activity.Key);
        }

        return response.Headers.ETag?.ToString();
    }

    /// <summary>Lists rows written before the index; a row that changed meanwhile was listed by its writer.</summary>
    private async Task ListRowsAsync(ActivityEntity[] unlisted, CancellationToken cancellationToken)
    {
        try
        {
            await Table.SubmitTransactionAsync(unlisted.SelectMany(ListingActions), cancellationToken);
        }
        catch (TableTransactionFailedException)
        {
            foreach (var row in unlisted)
            {
                try
                {
                    await Table.SubmitTransactionAsync(ListingActions(row), cancellationToken);
                }
                catch (TableTransactionFailedException e) when (e.Status is 404 or 412)
                {
                }
            }
        }
    }

    private static IEnumerable<TableTransactionAction> ListingActions(ActivityEntity row)
    {
        var listed = ActivityListEntry.Of(row);
        var etag = row.ETag;
        row.ListedAs = listed.RowKey;
        return
        [
            new TableTransactionAction(TableTransactionActionType.UpdateMerge, new TableEntity(row.PartitionKey, row.RowKey) { [nameof(ActivityEntity.ListedAs)] = listed.RowKey }, etag),
            new TableTransactionAction(TableTransactionActionType.UpsertReplace, listed),
        ];
    }

    /// <summary>Call SIDs, and any key storage accepts that cannot be mistaken for an index row.</summary>
    private static bool IsActivityKey(string callSid) => TableKeys.IsValid(callSid) && !callSid.StartsWith('~');

    private async Task<ActivityEntity?> ReadAsync(ActivityKey key, CancellationToken cancellationToken) =>
        IsActivityKey(key.AgentCallSid)
            ? await TableQueries.GetOrNullAsync<ActivityEntity>(Table, key.OrgId, key.AgentCallSid, cancellationToken)
            : null;

    /// <summary>An activity as stored: what a conditional write starts from.</summary>
    private sealed record Snapshot(CallActivity Activity, DateTimeOffset FirstSeenAt, string? ListedAs, ETag ETag)
    {
        public static Snapshot Of(ActivityEntity entity) => new(entity.ToActivity(), entity.FirstSeenAt, entity.ListedAs, entity.ETag);
    }
}
