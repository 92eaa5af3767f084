using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Playbooks.Calling.Calls;
using Playbooks.Calling.Twilio;

namespace Playbooks.Functions.Webhooks;

/// <summary>The preflight TwiML app's voice URL: the network test records the rep for a few seconds. It never dials.</summary>
public sealed class TwilioPreflightFunction(TwilioSignature signature, PreflightTwiml twiml)
{
    [Function(nameof(TwilioPreflightFunction))]
    [AllowAnonymous]
    [RequestSizeLimit(TwilioWebhook.MaxFormBytes)]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "twilio/preflight")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        if (await request.ReadSignedAsync(signature, cancellationToken) is not { } webhook)
        {
            return TwilioWebhook.Forbidden();
        }

        var answer = PreflightIdentity.TryDecodeFrom(webhook.FormValue("From"), out _, out _) ? twiml.Record() : twiml.Refuse();
        return TwilioWebhook.Twiml(answer);
    }
}
