using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;
using Playbooks.Calling.People;
using Playbooks.Functions.Auth;
using Playbooks.Functions.Http;

namespace Playbooks.Functions.Me;

/// <summary>Self-service: the caller picks a calling method their permission group allows.</summary>
public sealed class MeCallingPreferenceFunction(MeService me, IOptions<TelephonyOptions> telephony)
{
    [Function(nameof(MeCallingPreferenceFunction))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "me/calling-preference")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        var body = await request.ReadJsonAsync<CallingPreferenceRequest>(cancellationToken);
        if (body.Failure is { } invalid)
        {
            return invalid.ToActionResult();
        }
        var caller = request.GetCaller();
        var profile = await me.SetMyPreferenceAsync(caller, body.Value!.Preference, cancellationToken);
        return profile.OrNotProvisioned(caller).ToVersionedResult(p => p.Version, p => MeResponse.From(p, telephony.Value.Mode));
    }
}
