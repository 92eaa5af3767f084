using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;
using Playbooks.Calling.People;
using Playbooks.Functions.Auth;
using Playbooks.Functions.Http;

namespace Playbooks.Functions.Me;

/// <summary>
/// The caller's profile. Its ETag is a hash of the whole body (person, group, org settings, agent phone state), so the
/// web app can poll with If-None-Match and get 304 until something it shows changes. The person's own version, which
/// edits elsewhere use for If-Match, stays in the body's <c>version</c>.
/// </summary>
public sealed class MeFunction(MeService me, IOptions<TelephonyOptions> telephony)
{
    [Function(nameof(MeFunction))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "me")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        var caller = request.GetCaller();
        var profile = await me.GetProfileAsync(caller, cancellationToken);
        return profile.OrNotProvisioned(caller).ToConditionalResult(request, p => MeResponse.From(p, telephony.Value.Mode));
    }
}
