using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;
using Playbooks.Calling;
using Playbooks.Calling.Activity;
using Playbooks.Calling.CallEvents;
using Playbooks.Calling.Twilio;
using Playbooks.Functions.Http;

namespace Playbooks.Functions.Webhooks;

/// <summary>Reads one Twilio status-style callback into a call event and queues it.</summary>
public delegate Result<CallEventMessage> CallbackParser(
    IReadOnlyDictionary<string, string> form, IReadOnlyDictionary<string, string> query, DateTimeOffset receivedAt);

/// <summary>
/// What the status and recording-status webhooks share: check the signature (403, nothing queued), parse
/// (400 for a callback we cannot read; Twilio does not retry a 4xx), queue, and answer 204 at once. When the
/// queue refuses, 503 makes Twilio deliver the event again (our callback URLs ask it to retry on 5xx).
/// </summary>
public static class TwilioCallbacks
{
    public const string QueueUnavailable = "call-events-unavailable";

    /// <summary>
    /// How long queuing may take before the callback is answered 503. Twilio stops reading our answer after 4 s
    /// (<c>rt=4000</c> in <see cref="Playbooks.Calling.Calls.CallbackUrls.ConnectionOverrides"/>); the storage client's
    /// own retries of an unreachable queue last far longer, so without this budget an outage would answer nothing.
    /// An event queued after all is delivered again by Twilio's retry, which the activity merge absorbs.
    /// </summary>
    public static readonly TimeSpan QueueBudget = TimeSpan.FromSeconds(3);

    public static async Task<IActionResult> AcceptAsync(
        HttpRequest request,
        CallbackParser parse,
        TwilioSignature signature,
        ICallEventPublisher publisher,
        TimeProvider time,
        ILogger logger,
        CancellationToken cancellationToken)
    {
        if (await request.ReadSignedAsync(signature, cancellationToken) is not { } webhook)
        {
            logger.LogWarning("Rejected a Twilio callback to {Path} with a missing or invalid signature", request.Path);
            return TwilioWebhook.Forbidden();
        }

        var message = parse(webhook.Form, webhook.Query, time.GetUtcNow());
        if (message.Failure is { } unreadable)
        {
            logger.LogWarning(
                "Dropped an unreadable Twilio callback to {Path} for call {CallSid}: {Code} on {Field}",
                request.Path, webhook.FormValue("CallSid"), unreadable.Code, unreadable.Field);
            return unreadable.ToActionResult();
        }

        try
        {
            using var budget = new CancellationTokenSource(QueueBudget, time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, budget.Token);
            await publisher.PublishAsync(message.Value!, linked.Token);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            logger.LogError(ex, "Could not queue the {Kind} event of call {CallSid}", message.Value!.Kind, message.Value.CallSid);
            return new Failure(FailureKind.Unavailable, QueueUnavailable, "The call event could not be queued. Twilio will send it again.")
                .ToActionResult();
        }

        return new NoContentResult();
    }
}
