using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Playbooks.Calling.Activity;
using Playbooks.Calling.CallEvents;
using Playbooks.Calling.Twilio;

namespace Playbooks.Functions.Webhooks;

/// <summary>Call status callbacks of both legs, queued for the activity writer.</summary>
public sealed class TwilioStatusFunction(
    TwilioSignature signature, ICallEventPublisher publisher, TimeProvider time, ILogger<TwilioStatusFunction> logger)
{
    [Function(nameof(TwilioStatusFunction))]
    [AllowAnonymous]
    [RequestSizeLimit(TwilioWebhook.MaxFormBytes)]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "twilio/status")] HttpRequest request,
        CancellationToken cancellationToken) =>
        TwilioCallbacks.AcceptAsync(
            request, TwilioCallbackParser.ParseStatusCallback, signature, publisher, time, logger, cancellationToken);
}
