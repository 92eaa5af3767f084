using Playbooks.Calling.Activity;
using Playbooks.Calling.CallEvents;

namespace Playbooks.Calling.DeadLetters;

/// <summary>
/// A call event the activity writer gave up on. <see cref="Id"/> names it in its dead-letter queue; org and call are
/// read from the payload and are null when the payload itself is what was wrong (only Support sees those).
/// </summary>
public sealed record DeadLetter(
    string Id, string MessageId, string? OrgId, string? CallSid, string? Kind, string Reason, string Description, DateTimeOffset DeadLetteredAt)
{
    internal static (string? OrgId, string? CallSid, string? Kind) Describe(string? body) =>
        CallEventSerializer.TryDeserialize(body).Value is { } e ? (e.OrgId, e.CallSid, CallEventKinds.ToWire(e.Kind)) : (null, null, null);
}

/// <summary>
/// The dead-letter queue of the call-event transport: Service Bus's dead-letter sub-queue in Azure, the Storage poison
/// queue on the dev server. A replay puts the event back on the main queue first and only then removes the dead letter,
/// so a crash in between replays it twice, which the activity merge absorbs.
/// </summary>
public interface IDeadLetterQueue
{
    /// <summary>Up to <paramref name="max"/> dead letters, oldest first, without taking them.</summary>
    Task<IReadOnlyList<DeadLetter>> PeekAsync(int max, CancellationToken cancellationToken);

    /// <summary>Replays up to <paramref name="max"/> dead letters that <paramref name="which"/> selects; returns the ones replayed.</summary>
    Task<IReadOnlyList<DeadLetter>> ReplayAsync(Func<DeadLetter, bool> which, int max, CancellationToken cancellationToken);
}
