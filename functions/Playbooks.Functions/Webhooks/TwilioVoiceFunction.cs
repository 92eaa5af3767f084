using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Playbooks.Calling.Calls;
using Playbooks.Calling.Telemetry;
using Playbooks.Calling.Twilio;

namespace Playbooks.Functions.Webhooks;

/// <summary>The TwiML app's voice URL: dials the prospect for a browser or an answered agent leg, or says why not.</summary>
public sealed class TwilioVoiceFunction(TwilioSignature signature, CallConnector connector)
{
    public const string TwimlContentType = "application/xml";

    /// <summary>The Device's custom parameter naming the CRM record the rep is calling.</summary>
    public const string WhoIdParameter = "whoId";

    [Function(nameof(TwilioVoiceFunction))]
    [AllowAnonymous]
    [RequestSizeLimit(TwilioWebhook.MaxFormBytes)]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "twilio/voice")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        if (await request.ReadSignedAsync(signature, cancellationToken) is not { } webhook)
        {
            return TwilioWebhook.Forbidden();
        }

        using var span = CallTrace.StartVoiceWebhook(webhook.FormValue("CallSid"));
        var answer = await connector.ConnectAsync(
            new VoiceRequest(
                webhook.FormValue("CallSid"),
                webhook.FormValue("From"),
                webhook.FormValue("To"),
                webhook.QueryValue("intent"),
                webhook.FormValue(WhoIdParameter)),
            cancellationToken);
        span?.SetTag(PlaybooksTelemetry.OutcomeTag, answer.Refusal?.Code);
        return TwilioWebhook.Twiml(answer.Twiml);
    }
}
