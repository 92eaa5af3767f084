using Azure.Storage.Queues.Models;
using Playbooks.Calling.CallEvents;

namespace Playbooks.Calling.DeadLetters;

/// <summary>The dev server's poison queue. A Storage queue peeks at most 32 messages, so the list shows the oldest 32.</summary>
public sealed class StorageQueueDeadLetters(StorageQueueCallEvents queues) : IDeadLetterQueue
{
    private const int MaxBatch = 32;
    private const int MaxBatches = 100;
    private static readonly TimeSpan Hold = TimeSpan.FromSeconds(30);

    public async Task<IReadOnlyList<DeadLetter>> PeekAsync(int max, CancellationToken cancellationToken)
    {
        var peeked = await queues.PoisonQueue.PeekMessagesAsync(Math.Clamp(max, 1, MaxBatch), cancellationToken);
        return peeked.Value.Select(m => ToDeadLetter(m.MessageId, m.Body.ToString(), m.InsertedOn)).ToList();
    }

    public async Task<IReadOnlyList<DeadLetter>> ReplayAsync(Func<DeadLetter, bool> which, int max, CancellationToken cancellationToken)
    {
        var replayed = new List<DeadLetter>();
        var skipped = new List<QueueMessage>();
        try
        {
            for (var batch = 0; batch < MaxBatches && replayed.Count < max; batch++)
            {
                var messages = (await queues.PoisonQueue.ReceiveMessagesAsync(MaxBatch, Hold, cancellationToken)).Value;
                if (messages.Length == 0) break;
                foreach (var message in messages)
                {
                    var text = message.Body.ToString();
                    var dead = ToDeadLetter(message.MessageId, text, message.InsertedOn);
                    var body = PoisonCallEvent.Parse(text)?.Body;
                    if (replayed.Count >= max || body is null || !which(dead))
                    {
                        skipped.Add(message);
                        continue;
                    }

                    await queues.Queue.SendMessageAsync(body, cancellationToken);
                    await queues.PoisonQueue.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken);
                    replayed.Add(dead);
                }
            }
        }
        finally
        {
            // The rest were only looked at: make them visible again at once.
            foreach (var message in skipped)
            {
                await queues.PoisonQueue.UpdateMessageAsync(message.MessageId, message.PopReceipt, message.Body, TimeSpan.Zero, CancellationToken.None);
            }
        }

        return replayed;
    }

    private static DeadLetter ToDeadLetter(string id, string text, DateTimeOffset? insertedOn)
    {
        PoisonCallEvent? poison = null;
        try
        {
            poison = PoisonCallEvent.Parse(text);
        }
        catch (System.Text.Json.JsonException)
        {
        }

        var (orgId, callSid, kind) = DeadLetter.Describe(poison?.Body);
        return new DeadLetter(id, poison?.MessageId ?? id, orgId, callSid, kind, poison?.Reason ?? "unreadable-dead-letter",
            poison?.Description ?? "", insertedOn ?? DateTimeOffset.MinValue);
    }
}
