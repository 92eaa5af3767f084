using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;
using Playbooks.Calling.People;
using Playbooks.Functions.Auth;
using Playbooks.Functions.Http;

namespace Playbooks.Functions.Me;

public sealed class MeFunction(MeService me, IOptions<TelephonyOptions> telephony)
{
    [Function(nameof(MeFunction))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "me")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        var caller = request.GetCaller();
        var profile = await me.GetProfileAsync(caller, cancellationToken);
        return profile.OrNotProvisioned(caller).ToVersionedResult(p => p.Version, p => MeResponse.From(p, telephony.Value.Mode));
    }
}
