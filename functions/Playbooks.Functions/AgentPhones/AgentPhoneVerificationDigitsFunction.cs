using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Playbooks.Calling.AgentPhones;
using Playbooks.Calling.Twilio;
using Playbooks.Functions.Webhooks;

namespace Playbooks.Functions.AgentPhones;

/// <summary>The &lt;Gather&gt; action of a verification call: checks the digits and says how it went.</summary>
public sealed class AgentPhoneVerificationDigitsFunction(TwilioSignature signature, AgentPhoneVerificationService verifications, AgentPhoneVerificationTwiml twiml)
{
    [Function(nameof(AgentPhoneVerificationDigitsFunction))]
    [AllowAnonymous]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "twilio/agent-verification/digits")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        if (await request.ReadSignedAsync(signature, cancellationToken) is not { } webhook
            || VerificationQuery.From(webhook) is not { } query)
        {
            return TwilioWebhook.Forbidden();
        }

        var (outcome, verification) = await verifications.CheckDigitsAsync(
            query.OrgId, query.UserId, query.VerificationId, webhook.FormValue("Digits"), cancellationToken);
        var answer = outcome switch
        {
            DigitsOutcome.Verified => twiml.Say(AgentPhoneVerificationTwiml.Verified),
            DigitsOutcome.WrongCode => twiml.Ask(verification!, AgentPhoneVerificationTwiml.WrongCode),
            DigitsOutcome.Locked => twiml.Say(AgentPhoneVerificationTwiml.Locked),
            _ => twiml.Say(AgentPhoneVerificationTwiml.Expired),
        };
        return TwilioWebhook.Twiml(answer);
    }
}
