using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Playbooks.Calling.AgentPhones;
using Playbooks.Calling.Twilio;
using Playbooks.Functions.Webhooks;

namespace Playbooks.Functions.AgentPhones;

/// <summary>The TwiML of a verification call to a rep's agent phone: ask for the code shown on their screen.</summary>
public sealed class AgentPhoneVerificationCallFunction(TwilioSignature signature, AgentPhoneVerificationService verifications, AgentPhoneVerificationTwiml twiml)
{
    [Function(nameof(AgentPhoneVerificationCallFunction))]
    [AllowAnonymous]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "twilio/agent-verification")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        if (await request.ReadSignedAsync(signature, cancellationToken) is not { } webhook
            || VerificationQuery.From(webhook) is not { } query)
        {
            return TwilioWebhook.Forbidden();
        }

        var open = await verifications.OpenAsync(query.OrgId, query.UserId, query.VerificationId, cancellationToken);
        var answer = open is null ? twiml.Say(AgentPhoneVerificationTwiml.Expired) : twiml.Ask(open);
        return TwilioWebhook.Twiml(answer);
    }
}
