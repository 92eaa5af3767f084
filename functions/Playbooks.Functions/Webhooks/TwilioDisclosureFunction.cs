using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Playbooks.Calling.Calls;
using Playbooks.Calling.Recordings;
using Playbooks.Calling.Twilio;
using Playbooks.Functions.Http;

namespace Playbooks.Functions.Webhooks;

/// <summary>The &lt;Number url&gt; of a recorded call: the recording disclosure the prospect hears before the bridge.</summary>
public sealed class TwilioDisclosureFunction(TwilioSignature signature, DisclosureService disclosures)
{
    [Function(nameof(TwilioDisclosureFunction))]
    [AllowAnonymous]
    [RequestSizeLimit(TwilioWebhook.MaxFormBytes)]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "twilio/disclosure")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        if (await request.ReadSignedAsync(signature, cancellationToken) is not { } webhook)
        {
            return TwilioWebhook.Forbidden();
        }

        var answer = await disclosures.PlayAsync(
            new DisclosureRequest(
                webhook.QueryValue(CallbackUrls.OrgIdParameter),
                webhook.QueryValue(CallbackUrls.AgentCallSidParameter),
                webhook.FormValue("CallSid")),
            cancellationToken);
        return answer.Failure is { } failure
            ? failure.ToActionResult()
            : TwilioWebhook.Twiml(answer.Value!);
    }
}
