using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Playbooks.Calling.Activity;
using Playbooks.Calling.CallEvents;
using Playbooks.Calling.Twilio;

namespace Playbooks.Functions.Webhooks;

/// <summary>Recording status callbacks (the org records calls), queued for the activity writer.</summary>
public sealed class TwilioRecordingStatusFunction(
    TwilioSignature signature, ICallEventPublisher publisher, TimeProvider time, ILogger<TwilioRecordingStatusFunction> logger)
{
    [Function(nameof(TwilioRecordingStatusFunction))]
    [AllowAnonymous]
    [RequestSizeLimit(TwilioWebhook.MaxFormBytes)]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "twilio/recording-status")] HttpRequest request,
        CancellationToken cancellationToken) =>
        TwilioCallbacks.AcceptAsync(
            request, TwilioCallbackParser.ParseRecordingCallback, signature, publisher, time, logger, cancellationToken);
}
