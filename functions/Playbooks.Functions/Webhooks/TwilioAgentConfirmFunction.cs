using Azure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Playbooks.Calling.Calls;
using Playbooks.Calling.Twilio;

namespace Playbooks.Functions.Webhooks;

/// <summary>
/// The &lt;Gather&gt; action of a phone-based agent leg: a 1 dials the prospect (the checks and TwiML of the voice
/// webhook), any other key hangs the agent leg up. The rep's answer is stored for the call-state endpoint.
/// </summary>
public sealed class TwilioAgentConfirmFunction(
    TwilioSignature signature,
    CallConnector connector,
    AgentLegStateStore agentLegs,
    TwimlBuilder twiml,
    TimeProvider time,
    ILogger<TwilioAgentConfirmFunction> logger)
{
    [Function(nameof(TwilioAgentConfirmFunction))]
    [AllowAnonymous]
    [RequestSizeLimit(TwilioWebhook.MaxFormBytes)]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "twilio/agent-leg/confirm")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        if (await request.ReadSignedAsync(signature, cancellationToken) is not { } webhook)
        {
            return TwilioWebhook.Forbidden();
        }

        var callSid = webhook.FormValue("CallSid");
        var intent = webhook.QueryValue("intent");
        if (webhook.FormValue("Digits") != TwimlBuilder.ConfirmKey)
        {
            await RecordAsync(intent, callSid, AgentConfirmation.Declined, cancellationToken);
            return TwilioWebhook.Twiml(twiml.Declined());
        }

        var answer = await connector.ConnectAsync(
            new VoiceRequest(callSid, webhook.FormValue("From"), webhook.FormValue("To"), intent, null) { Confirmed = true },
            cancellationToken);
        if (answer.Refusal is null)
        {
            await RecordAsync(intent, callSid, AgentConfirmation.Confirmed, cancellationToken);
        }

        return TwilioWebhook.Twiml(answer.Twiml);
    }

    /// <summary>Stores the rep's key; the call goes on without it (the state shows the agent leg's status alone then).</summary>
    private async Task RecordAsync(string? intent, string? callSid, AgentConfirmation confirmation, CancellationToken cancellationToken)
    {
        if (!CallLedger.IsWellFormedSid(callSid) || connector.ReadIntent(intent).Value is not { } data)
        {
            return;
        }

        try
        {
            await agentLegs.RecordConfirmationAsync(data.OrgId, callSid!, confirmation, time.GetUtcNow(), cancellationToken);
        }
        catch (RequestFailedException ex)
        {
            logger.LogWarning(ex, "Could not store the rep's key for agent leg {CallSid}", callSid);
        }
    }
}
