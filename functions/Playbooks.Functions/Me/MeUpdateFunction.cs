using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;
using Playbooks.Calling;
using Playbooks.Calling.People;
using Playbooks.Functions.Auth;
using Playbooks.Functions.Http;

namespace Playbooks.Functions.Me;

/// <summary>Self-service: the phone the agent leg of phone-based calls rings (null or "" clears it).</summary>
public sealed class MeUpdateFunction(MeService me, IOptions<TelephonyOptions> telephony)
{
    [Function(nameof(MeUpdateFunction))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "patch", Route = "me")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        var body = await request.ReadJsonAsync<MePatchRequest>(cancellationToken);
        if (body.Failure is { } invalid)
        {
            return invalid.ToActionResult();
        }
        if (!body.Value!.HasAgentPhoneNumber)
        {
            return Failure.Invalid("agentPhoneNumber", "Send agentPhoneNumber (null or \"\" clears it); it is the only setting you can change here.").ToActionResult();
        }
        var caller = request.GetCaller();
        var profile = await me.SetMyAgentPhoneAsync(caller, body.Value.AgentPhoneNumber, cancellationToken);
        return profile.OrNotProvisioned(caller).ToVersionedResult(p => p.Version, p => MeResponse.From(p, telephony.Value.Mode));
    }
}
