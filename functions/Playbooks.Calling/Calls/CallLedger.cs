using System.Collections.Concurrent;
using Azure;
using Azure.Data.Tables;
using Playbooks.Calling.Orgs;
using Playbooks.Calling.Storage;

namespace Playbooks.Calling.Calls;

/// <summary>Who placed a call: the agent leg's call SID, its org, rep, method and the prospect it dials.</summary>
public sealed record CallRecord(string OrgId, string CallSid, string UserId, CallingMethod Method, string ProspectNumber, DateTimeOffset CreatedAt)
{
    public string? WhoId { get; init; }
}

/// <summary>
/// The calls our service placed, by agent-leg call SID within the org's partition. It answers one question:
/// does this call belong to this user? (END, dispositions). The activity itself lives elsewhere.
/// <para>
/// Group commit: records of one org that arrive while that org's previous write is in flight are written together,
/// in one entity-group transaction (same partition, at most <see cref="MaxBatch"/> entities), when it finishes. A lone
/// record is a single insert with no waiting. Every caller returns only once its own row is stored, and the first
/// owner of a SID still stands: a row that exists already, or a SID twice in one batch, keeps the first record.
/// </para>
/// </summary>
public class CallLedger(TableServiceClient tables)
{
    /// <summary>Table Storage's limit on the operations of one entity-group transaction.</summary>
    public const int MaxBatch = 100;

    private readonly ConcurrentDictionary<string, PartitionWriter> _writers = new(StringComparer.Ordinal);

    private TableClient Table => tables.GetTableClient(TableNames.Calls);

    /// <summary>Records the call once; a second record of the same SID (a retried webhook) keeps the first.</summary>
    public virtual Task RecordAsync(CallRecord call, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return _writers.GetOrAdd(call.OrgId, _ => new PartitionWriter(Table)).RecordAsync(CallEntity.From(call));
    }

    /// <summary>The call with this SID in the org, or null (also for a SID that cannot be a table key).</summary>
    public virtual async Task<CallRecord?> GetAsync(string orgId, string callSid, CancellationToken cancellationToken = default)
    {
        if (!IsWellFormedSid(callSid))
        {
            return null;
        }

        var response = await Table.GetEntityIfExistsAsync<CallEntity>(orgId, callSid, cancellationToken: cancellationToken);
        return response.HasValue ? response.Value!.ToRecord() : null;
    }

    /// <summary>Twilio SIDs are two letters and hex; anything else is not a call of ours.</summary>
    public static bool IsWellFormedSid(string? callSid) =>
        callSid is { Length: >= 2 and <= 64 } && callSid.All(char.IsAsciiLetterOrDigit);

    /// <summary>
    /// One org's queue of records waiting to be written, and at most one write in flight. The request that finds no
    /// write in flight writes its record at once; records that queue meanwhile wait, and when the write finishes the
    /// oldest of them writes them all (up to <see cref="MaxBatch"/>) in its own request, and so on.
    /// </summary>
    private sealed class PartitionWriter(TableClient table)
    {
        private readonly Lock _gate = new();
        private readonly List<Pending> _queue = [];
        private bool _writing;

        public async Task RecordAsync(CallEntity entity)
        {
            var pending = new Pending(entity);
            bool leads;
            lock (_gate)
            {
                _queue.Add(pending);
                leads = !_writing;
                _writing = true;
            }

            if (!leads && await Task.WhenAny(pending.Stored.Task, pending.Turn.Task) == pending.Stored.Task)
            {
                await pending.Stored.Task;
                return;
            }

            // This record heads the queue: write it and those behind it, then hand the next batch to its head.
            List<Pending> batch;
            lock (_gate)
            {
                var count = Math.Min(MaxBatch, _queue.Count);
                batch = _queue.GetRange(0, count);
                _queue.RemoveRange(0, count);
            }

            try
            {
                await WriteBatchAsync(batch);
            }
            finally
            {
                Pending? next = null;
                lock (_gate)
                {
                    if (_queue.Count == 0)
                    {
                        _writing = false;
                    }
                    else
                    {
                        next = _queue[0];
                    }
                }

                next?.Turn.TrySetResult();
            }

            await pending.Stored.Task;
        }

        /// <summary>Completes every pending record of the batch: stored (or already there), or the storage failure.</summary>
        private async Task WriteBatchAsync(List<Pending> batch)
        {
            // A SID twice in one batch: the first record is the one written; the later ones share its outcome.
            var bySid = batch.GroupBy(p => p.Entity.RowKey, StringComparer.Ordinal).ToList();
            var left = bySid.Select(g => g.First()).ToList();
            foreach (var group in bySid)
            {
                foreach (var later in group.Skip(1))
                {
                    group.First().Followers.Add(later);
                }
            }

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

                    left.ForEach(p => p.Complete(null));
                    return;
                }
                catch (RequestFailedException e) when (e.Status == 409 && left.Count == 1)
                {
                    // Already recorded; the first owner stands.
                    left[0].Complete(null);
                    return;
                }
                catch (TableTransactionFailedException e) when (e.FailedTransactionActionIndex is int index && index < left.Count)
                {
                    // The transaction wrote nothing. The failing row is settled on its own (409: recorded before, so the
                    // first owner stands); the rest go again.
                    left[index].Complete(e.Status == 409 ? null : e);
                    left.RemoveAt(index);
                }
                catch (Exception e)
                {
                    left.ForEach(p => p.Complete(e));
                    return;
                }
            }
        }
    }

    private sealed class Pending(CallEntity entity)
    {
        public CallEntity Entity { get; } = entity;

        public TaskCompletionSource Stored { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Set when this record heads the queue and the write before it finished: it writes the next batch.</summary>
        public TaskCompletionSource Turn { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public List<Pending> Followers { get; } = [];

        public void Complete(Exception? failure)
        {
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

    public string UserId { get; set; } = "";
    public string Method { get; set; } = "";
    public string ProspectNumber { get; set; } = "";
    public string? WhoId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    public static CallEntity From(CallRecord call) => new()
    {
        PartitionKey = call.OrgId,
        RowKey = call.CallSid,
        UserId = call.UserId,
        Method = call.Method.ToWire(),
        ProspectNumber = call.ProspectNumber,
        WhoId = call.WhoId,
        CreatedAt = call.CreatedAt,
    };

    public CallRecord ToRecord() =>
        new(PartitionKey, RowKey, UserId, CallingMethodNames.TryParse(Method, out var m) ? m : CallingMethod.Phone, ProspectNumber, CreatedAt)
        {
            WhoId = WhoId,
        };
}
