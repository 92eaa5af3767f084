using System.Collections.Concurrent;
using System.Globalization;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using Playbooks.Calling.Orgs;
using Playbooks.Calling.Storage;

namespace Playbooks.Calling.Calls;

/// <summary>Who placed a call: the agent leg's call SID, its org, rep, method and the prospect it dials.</summary>
public sealed record CallRecord(string OrgId, string CallSid, string UserId, CallingMethod Method, string ProspectNumber, DateTimeOffset CreatedAt)
{
    public string? WhoId { get; init; }
}

/// <summary>
/// The calls our service placed, by agent-leg call SID. It answers one question: does this call belong to this user?
/// (END, dispositions). The activity itself lives elsewhere.
/// <para>
/// An org's calls are spread over <see cref="Buckets"/> partitions, <c>{orgId}~{bucket}</c>, by a stable hash of the
/// SID (<see cref="PartitionFor"/>), so one busy org is not held to a single partition's throughput, and a point read
/// never meets the org's whole call history. Each row also names its org, and a read checks it. Rows written before
/// the spread live in the partition <c>{orgId}</c>; a read that misses the SID's bucket looks there once.
/// </para>
/// <para>
/// Group commit with a bounded number of writes in flight per partition
/// (<see cref="CallLedgerOptions.MaxWritesInFlightPerPartition"/>): a record that finds a write free goes at once, as a
/// single insert with no waiting. Records that arrive while all of the partition's writes are busy queue, and the next
/// write to finish hands them (up to <see cref="MaxBatch"/>) to one entity-group transaction. Every caller returns only
/// once its own row is stored, and the first owner of a SID still stands: a row that exists already keeps its record,
/// and a SID that arrives again while its first record is queued or being written shares that record's outcome. A
/// failed write fails only the records it carried.
/// </para>
/// </summary>
public class CallLedger
{
    /// <summary>Table Storage's limit on the operations of one entity-group transaction.</summary>
    public const int MaxBatch = 100;

    /// <summary>
    /// Partitions per org. Rows are found by it, so it never changes: a different count would send reads of existing
    /// calls to the wrong partition.
    /// </summary>
    public const int Buckets = 256;

    private readonly TableServiceClient _tables;
    private readonly int _maxInFlight;
    private readonly ConcurrentDictionary<string, PartitionWriter> _writers = new(StringComparer.Ordinal);

    /// <summary>A ledger with the default options.</summary>
    public CallLedger(TableServiceClient tables)
        : this(tables, Options.Create(new CallLedgerOptions()))
    {
    }

    public CallLedger(TableServiceClient tables, IOptions<CallLedgerOptions> options)
    {
        _tables = tables;
        _maxInFlight = options.Value.MaxWritesInFlightPerPartition;
    }

    private TableClient Table => _tables.GetTableClient(TableNames.Calls);

    /// <summary>Records the call once; a second record of the same SID (a retried webhook) keeps the first.</summary>
    public virtual Task RecordAsync(CallRecord call, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var entity = CallEntity.From(call);
        return _writers.GetOrAdd(entity.PartitionKey, partition => new PartitionWriter(Table, _maxInFlight, idle => Forget(partition, idle)))
            .RecordAsync(entity);
    }

    /// <summary>Partitions with a writer on this instance: only those with a record queued or being written.</summary>
    internal int PartitionWriters => _writers.Count;

    /// <summary>
    /// Drops a writer that has nothing queued or in flight, so an instance keeps none for the thousands of partitions its
    /// orgs' calls have touched. A request that took the writer just before still writes through it, and one that comes
    /// after starts a new one; for that moment two writers may serve the partition, which costs only the shared outcome
    /// of a SID arriving twice (the row that exists already still keeps its first owner).
    /// </summary>
    private void Forget(string partition, PartitionWriter idle) =>
        _writers.TryRemove(new KeyValuePair<string, PartitionWriter>(partition, idle));

    /// <summary>The call with this SID in the org, or null (also for a SID that cannot be a table key).</summary>
    public virtual async Task<CallRecord?> GetAsync(string orgId, string callSid, CancellationToken cancellationToken = default)
    {
        if (!IsWellFormedSid(callSid))
        {
            return null;
        }

        var response = await Table.GetEntityIfExistsAsync<CallEntity>(PartitionFor(orgId, callSid), callSid, cancellationToken: cancellationToken);
        if (!response.HasValue)
        {
            // Recorded before the org's calls were spread over buckets, or not a call of this org at all.
            response = await Table.GetEntityIfExistsAsync<CallEntity>(orgId, callSid, cancellationToken: cancellationToken);
        }

        // A row names its org (rows from before the spread are named by their partition): another org's row that an
        // odd org ID happened to reach is not this org's call.
        return response.HasValue && response.Value!.ToRecord() is { } record && record.OrgId == orgId ? record : null;
    }

    /// <summary>The partition of a call's row: the org and the SID's bucket, <c>{orgId}~{bucket as two hex digits}</c>.</summary>
    public static string PartitionFor(string orgId, string callSid) =>
        $"{orgId}~{Bucket(callSid).ToString("x2", CultureInfo.InvariantCulture)}";

    /// <summary>
    /// FNV-1a over the SID's characters, then mixed (MurmurHash3's finalizer) so every bit of it counts: the same bucket
    /// on every instance and in every release.
    /// </summary>
    private static int Bucket(string callSid)
    {
        var hash = 2166136261u;
        foreach (var c in callSid)
        {
            hash = (hash ^ c) * 16777619u;
        }

        hash ^= hash >> 16;
        hash *= 0x85ebca6bu;
        hash ^= hash >> 13;
        hash *= 0xc2b2ae35u;
        hash ^= hash >> 16;
        return (int)(hash % Buckets);
    }

    /// <summary>Twilio SIDs are two letters and hex; anything else is not a call of ours.</summary>
    public static bool IsWellFormedSid(string? callSid) =>
        callSid is { Length: >= 2 and <= 64 } && callSid.All(char.IsAsciiLetterOrDigit);

    /// <summary>
    /// One partition's writes in flight (at most <c>maxInFlight</c>), its queue of records waiting for one, and the SIDs
    /// queued or being written. A request that finds a write free writes its own record in it. When a write finishes
    /// with records queued, it does not free its place: it hands the oldest of them (up to <see cref="MaxBatch"/>) to
    /// the request of the first, which writes them all, and so on. So the queue is only ever non-empty while every
    /// write is busy. When the last write finishes with nothing queued, the writer tells <c>idle</c>.
    /// </summary>
    private sealed class PartitionWriter(TableClient table, int maxInFlight, Action<PartitionWriter> idle)
    {
        private readonly Lock _gate = new();
        private readonly List<Pending> _queue = [];
        private readonly Dictionary<string, Pending> _open = new(StringComparer.Ordinal);
        private int _inFlight;

        public async Task RecordAsync(CallEntity entity)
        {
            var pending = new Pending(entity);
            List<Pending>? batch = null;
            lock (_gate)
            {
                if (_open.TryGetValue(entity.RowKey, out var first))
                {
                    // The same SID is queued or being written: the first record stands, and this one shares its outcome.
                    first.Followers.Add(pending);
                }
                else
                {
                    _open.Add(entity.RowKey, pending);
                    if (_inFlight < maxInFlight)
                    {
                        _inFlight++;
                        batch = [pending];
                    }
                    else
                    {
                        _queue.Add(pending);
                    }
                }
            }

            if (batch is null)
            {
                if (await Task.WhenAny(pending.Stored.Task, pending.Turn.Task) == pending.Stored.Task)
                {
                    await pending.Stored.Task;
                    return;
                }

                // This record headed the queue when a write finished: write the batch handed over.
                batch = await pending.Turn.Task;
            }

            try
            {
                await WriteBatchAsync(batch);
            }
            finally
            {
                // The next batch goes to its own head's request, so this caller returns as soon as its row is stored.
                var next = Finish(batch);
                if (next is not null)
                {
                    next[0].Turn.TrySetResult(next);
                }
                else if (Volatile.Read(ref _inFlight) == 0)
                {
                    idle(this);
                }
            }

            await pending.Stored.Task;
        }

        /// <summary>
        /// Settles the written records and forgets their SIDs, under the lock so that no later record of the same SID
        /// can join one after it completed; then either takes the next batch from the queue (keeping the write's
        /// place) or frees the place.
        /// </summary>
        private List<Pending>? Finish(List<Pending> written)
        {
            lock (_gate)
            {
                foreach (var p in written)
                {
                    _open.Remove(p.Entity.RowKey);
                    p.Complete();
                }

                if (_queue.Count == 0)
                {
                    _inFlight--;
                    return null;
                }

                var count = Math.Min(MaxBatch, _queue.Count);
                var next = _queue.GetRange(0, count);
                _queue.RemoveRange(0, count);
                return next;
            }
        }

        /// <summary>Settles every record of the batch: stored (or already there), or the storage failure.</summary>
        private async Task WriteBatchAsync(List<Pending> batch)
        {
            var left = new List<Pending>(batch);
            while (left.Count > 0)
            {
                try
                {
                    if (left.Count == 1)
                    {
                        await table.AddEntityAsync(left[0].Entity);
                    }
                    else
                    {
                        await table.SubmitTransactionAsync(left.Select(p => new TableTransactionAction(TableTransactionActionType.Add, p.Entity)));
                    }

                    left.ForEach(p => p.Settle(null));
                    return;
                }
                catch (RequestFailedException e) when (e.Status == 409 && left.Count == 1)
                {
                    // Already recorded; the first owner stands.
                    left[0].Settle(null);
                    return;
                }
                catch (TableTransactionFailedException e) when (e.FailedTransactionActionIndex is int index && index < left.Count)
                {
                    // The transaction wrote nothing. The failing row is settled on its own (409: recorded before, so the
                    // first owner stands); the rest go again.
                    left[index].Settle(e.Status == 409 ? null : e);
                    left.RemoveAt(index);
                }
                catch (Exception e)
                {
                    left.ForEach(p => p.Settle(e));
                    return;
                }
            }
        }
    }

    private sealed class Pending(CallEntity entity)
    {
        public CallEntity Entity { get; } = entity;

        public TaskCompletionSource Stored { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Set when this record heads the queue and a write finished: its request writes the batch handed over.</summary>
        public TaskCompletionSource<List<Pending>> Turn { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Later records of the same SID; only touched under the writer's lock.</summary>
        public List<Pending> Followers { get; } = [];

        private bool _settled;
        private Exception? _failure;

        /// <summary>The write's outcome for this record; the caller learns it when the batch is finished.</summary>
        public void Settle(Exception? failure)
        {
            _settled = true;
            _failure = failure;
        }

        /// <summary>Completes this record and its followers with the outcome (a record no write settled fails).</summary>
        public void Complete()
        {
            var failure = _settled ? _failure : new InvalidOperationException("The call record was not written.");
            foreach (var pending in Followers.Prepend(this))
            {
                if (failure is null)
                {
                    pending.Stored.TrySetResult();
                }
                else
                {
                    pending.Stored.TrySetException(failure);
                }
            }
        }
    }
}

internal sealed class CallEntity : ITableEntity
{
    public string PartitionKey { get; set; } = "";
    public string RowKey { get; set; } = "";
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }

    /// <summary>The org; absent on rows written before the spread, whose partition is the org.</summary>
    public string? OrgId { get; set; }

    public string UserId { get; set; } = "";
    public string Method { get; set; } = "";
    public string ProspectNumber { get; set; } = "";
    public string? WhoId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    public static CallEntity From(CallRecord call) => new()
    {
        PartitionKey = CallLedger.PartitionFor(call.OrgId, call.CallSid),
        RowKey = call.CallSid,
        OrgId = call.OrgId,
        UserId = call.UserId,
        Method = call.Method.ToWire(),
        ProspectNumber = call.ProspectNumber,
        WhoId = call.WhoId,
        CreatedAt = call.CreatedAt,
    };

    public CallRecord ToRecord() =>
        new(OrgId ?? PartitionKey, RowKey, UserId, CallingMethodNames.TryParse(Method, out var m) ? m : CallingMethod.Phone, ProspectNumber, CreatedAt)
        {
            WhoId = WhoId,
        };
}
