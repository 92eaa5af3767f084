using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Playbooks.Calling.Calls;
using Playbooks.Calling.Twilio;

namespace Playbooks.Functions.Webhooks;

/// <summary>The network test's &lt;Record action&gt;: plays the rep's few seconds back to them, then hangs up.</summary>
public sealed class TwilioPreflightPlaybackFunction(TwilioSignature signature, PreflightTwiml twiml)
{
    [Function(nameof(TwilioPreflightPlaybackFunction))]
    [AllowAnonymous]
    [RequestSizeLimit(TwilioWebhook.MaxFormBytes)]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "twilio/preflight/playback")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        if (await request.ReadSignedAsync(signature, cancellationToken) is not { } webhook)
        {
            return TwilioWebhook.Forbidden();
        }

        var answer = PreflightIdentity.TryDecodeFrom(webhook.FormValue("From"), out _, out _)
            ? twiml.Playback(webhook.FormValue("RecordingSid"))
            : twiml.Refuse();
        return TwilioWebhook.Twiml(answer);
    }
}
