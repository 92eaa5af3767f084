using Azure.Messaging.ServiceBus;
using Playbooks.Calling.CallEvents;

namespace Playbooks.Calling.DeadLetters;

/// <summary>The Service Bus queue's dead-letter sub-queue; a dead letter is known by its sequence number.</summary>
public sealed class ServiceBusDeadLetters(ServiceBusReceiver deadLetters, ServiceBusSender queue) : IDeadLetterQueue
{
    private const int MaxBatch = 100;
    private const int MaxBatches = 50;
    private static readonly TimeSpan ReceiveWait = TimeSpan.FromSeconds(1);

    public async Task<IReadOnlyList<DeadLetter>> PeekAsync(int max, CancellationToken cancellationToken)
    {
        var found = new List<DeadLetter>();
        long? from = null;
        while (found.Count < max)
        {
            var page = await deadLetters.PeekMessagesAsync(Math.Min(MaxBatch, max - found.Count), from, cancellationToken);
            if (page.Count == 0) break;
            found.AddRange(page.Select(ToDeadLetter));
            from = page[^1].SequenceNumber + 1;
        }

        return found;
    }

    public async Task<IReadOnlyList<DeadLetter>> ReplayAsync(Func<DeadLetter, bool> which, int max, CancellationToken cancellationToken)
    {
        var replayed = new List<DeadLetter>();
        var skipped = new List<ServiceBusReceivedMessage>();
        try
        {
            for (var batch = 0; batch < MaxBatches && replayed.Count < max; batch++)
            {
                var messages = await deadLetters.ReceiveMessagesAsync(MaxBatch, ReceiveWait, cancellationToken);
                if (messages.Count == 0) break;
                foreach (var message in messages)
                {
                    var dead = ToDeadLetter(message);
                    if (replayed.Count >= max || !which(dead))
                    {
                        skipped.Add(message);
                        continue;
                    }

                    var copy = new ServiceBusMessage(message) { MessageId = $"{dead.MessageId}~replay-{message.SequenceNumber}" };
                    copy.ApplicationProperties[ServiceBusCallEventSource.AttemptsProperty] = 0;
                    copy.ApplicationProperties[ServiceBusCallEventSource.OriginalIdProperty] = dead.MessageId;
                    await queue.SendMessageAsync(copy, cancellationToken);
                    await deadLetters.CompleteMessageAsync(message, cancellationToken);
                    replayed.Add(dead);
                }
            }
        }
        finally
        {
            foreach (var message in skipped)
            {
                await deadLetters.AbandonMessageAsync(message, null, CancellationToken.None);
            }
        }

        return replayed;
    }

    private static DeadLetter ToDeadLetter(ServiceBusReceivedMessage message)
    {
        var (orgId, callSid, kind) = DeadLetter.Describe(message.Body?.ToString());
        var originalId = message.ApplicationProperties.TryGetValue(ServiceBusCallEventSource.OriginalIdProperty, out var id) && id is string s ? s : message.MessageId;
        return new DeadLetter(message.SequenceNumber.ToString(System.Globalization.CultureInfo.InvariantCulture), originalId, orgId, callSid, kind,
            message.DeadLetterReason ?? "unknown", message.DeadLetterErrorDescription ?? "", message.EnqueuedTime);
    }
}
