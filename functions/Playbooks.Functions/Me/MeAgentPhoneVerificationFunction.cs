using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;
using Playbooks.Calling.People;
using Playbooks.Functions.Auth;
using Playbooks.Functions.Http;

namespace Playbooks.Functions.Me;

/// <summary>Self-service: "Call me to verify". A new code and a call to the caller's own unverified agent phone (rate-limited).</summary>
public sealed class MeAgentPhoneVerificationFunction(MeService me, IOptions<TelephonyOptions> telephony)
{
    [Function(nameof(MeAgentPhoneVerificationFunction))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "me/agent-phone/verification")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        var caller = request.GetCaller();
        var profile = await me.StartAgentPhoneVerificationAsync(caller, cancellationToken);
        return profile.OrNotProvisioned(caller).ToVersionedResult(p => p.Version, p => MeResponse.From(p, telephony.Value.Mode));
    }
}
