using Azure;
using Azure.Data.Tables;

namespace Playbooks.Calling.Activity;

/// <summary>
/// Group commit for the Activities table. Activity writes of one org (one partition) that arrive while a transaction of
/// that org is in flight queue up; when it returns, the oldest of them submits them all together in one entity-group
/// transaction (up to <see cref="MaxOperations"/> operations), and so on. Orgs commit in parallel. A transaction that
/// storage refuses because of one write (<see cref="TableTransactionFailedException.FailedTransactionActionIndex"/>)
/// fails only that write; the others are submitted again.
/// </summary>
internal sealed class ActivityTransactions(TableClient table)
{
    /// <summary>Table Storage takes at most 100 operations in one transaction.</summary>
    public const int MaxOperations = 100;

    /// <summary>About a quarter of the 4 MiB a transaction may carry, counted in characters of the JSON columns.</summary>
    public const int MaxPayloadChars = 512 * 1024;

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Partition> _partitions = new(StringComparer.Ordinal);

    /// <summary>
    /// Submits one activity's operations (all in <paramref name="partitionKey"/>, each on a different row) with those of
    /// the other writes waiting for the same org; the response to the first of them. Throws the
    /// <see cref="TableTransactionFailedException"/> of an operation of this write that storage refused, or whatever
    /// failed the whole transaction.
    /// </summary>
    public Task<Response> SubmitAsync(string partitionKey, IReadOnlyList<TableTransactionAction> actions, int payloadChars, CancellationToken cancellationToken) =>
        _partitions.GetOrAdd(partitionKey, _ => new Partition(table)).SubmitAsync(new Write([.. actions], payloadChars), cancellationToken);

    /// <summary>How many writes of an org wait for the transaction in flight.</summary>
    public int Waiting(string partitionKey) => _partitions.TryGetValue(partitionKey, out var partition) ? partition.Waiting : 0;

    private sealed class Partition(TableClient table)
    {
        private readonly Lock _gate = new();
        private readonly List<Write> _queue = [];
        private bool _committing;

        public int Waiting
        {
            get
            {
                lock (_gate) return _queue.Count;
            }
        }

        public async Task<Response> SubmitAsync(Write write, CancellationToken cancellationToken)
        {
            bool leads;
            lock (_gate)
            {
                _queue.Add(write);
                leads = !_committing;
                _committing = true;
            }

            if (!leads && await Task.WhenAny(write.Done.Task, write.Turn.Task) == write.Done.Task)
            {
                return await write.Done.Task.WaitAsync(cancellationToken);
            }

            // This write heads the queue: commit it and those behind it, then hand the next transaction to its head.
            List<Write> batch;
            lock (_gate)
            {
                batch = Take();
            }

            try
            {
                await CommitAsync(batch);
            }
            finally
            {
                Write? next = null;
                lock (_gate)
                {
                    if (_queue.Count == 0)
                    {
                        _committing = false;
                    }
                    else
                    {
                        next = _queue[0];
                    }
                }

                next?.Turn.TrySetResult();
            }

            return await write.Done.Task.WaitAsync(cancellationToken);
        }

        /// <summary>The oldest writes that fit one transaction, in order; a second write of a row waits for the next one.</summary>
        private List<Write> Take()
        {
            var batch = new List<Write>();
            var rows = new HashSet<string>(StringComparer.Ordinal);
            int operations = 0, payload = 0;
            foreach (var write in _queue)
            {
                if (batch.Count > 0 &&
                    (operations + write.Actions.Count > MaxOperations || payload + write.PayloadChars > MaxPayloadChars || write.Actions.Any(a => rows.Contains(a.Entity.RowKey))))
                {
                    break;
                }

                batch.Add(write);
                operations += write.Actions.Count;
                payload += write.PayloadChars;
                rows.UnionWith(write.Actions.Select(a => a.Entity.RowKey));
            }

            _queue.RemoveRange(0, batch.Count);
            return batch;
        }

        /// <summary>Settles every write of the batch: stored, refused on its own, or the failure of the whole transaction.</summary>
        private async Task CommitAsync(List<Write> batch)
        {
            while (batch.Count > 0)
            {
                var actions = batch.SelectMany(w => w.Actions).ToList();
                try
                {
                    // Not cancellable: the writes of other callers ride on it.
                    var response = await table.SubmitTransactionAsync(actions, CancellationToken.None);
                    var at = 0;
                    foreach (var write in batch)
                    {
                        write.Done.TrySetResult(response.Value[at]);
                        at += write.Actions.Count;
                    }

                    return;
                }
                catch (TableTransactionFailedException e) when (e.FailedTransactionActionIndex is int index && index < actions.Count)
                {
                    // The transaction wrote nothing. The write at fault is settled on its own, the rest go again.
                    var (write, offset) = Owner(batch, index);
                    var action = write.Actions[index - offset];
                    if (e.Status == 404 && action.ActionType == TableTransactionActionType.Delete)
                    {
                        // An old index row that is gone already: the rest of the write must still be stored.
                        write.Actions.RemoveAt(index - offset);
                        continue;
                    }

                    write.Done.TrySetException(e);
                    batch.Remove(write);
                }
                catch (TableTransactionFailedException) when (batch.Count > 1)
                {
                    // Refused without naming an operation (the request as a whole): each write on its own.
                    foreach (var write in batch) await CommitAsync([write]);
                    return;
                }
                catch (Exception e)
                {
                    batch.ForEach(w => w.Done.TrySetException(e));
                    return;
                }
            }
        }

        private static (Write Write, int Offset) Owner(List<Write> batch, int index)
        {
            var offset = 0;
            foreach (var write in batch)
            {
                if (index < offset + write.Actions.Count) return (write, offset);
                offset += write.Actions.Count;
            }

            throw new ArgumentOutOfRangeException(nameof(index));
        }
    }

    private sealed class Write(List<TableTransactionAction> actions, int payloadChars)
    {
        public List<TableTransactionAction> Actions { get; } = actions;

        public int PayloadChars { get; } = payloadChars;

        public TaskCompletionSource<Response> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Set when this write heads the queue and the transaction before it returned: it submits the next one.</summary>
        public TaskCompletionSource Turn { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
