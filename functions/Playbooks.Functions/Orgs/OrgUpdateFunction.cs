using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Playbooks.Calling.Identity;
using Playbooks.Calling.Orgs;
using Playbooks.Functions.Auth;
using Playbooks.Functions.Http;
using Playbooks.Functions.Me;

namespace Playbooks.Functions.Orgs;

/// <summary>An admin edits their org's settings; honours If-Match.</summary>
public sealed class OrgUpdateFunction(OrgService orgs)
{
    [Function(nameof(OrgUpdateFunction))]
    [Authorize(Roles = AppRoles.Admin)]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "patch", Route = "admin/org")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        var body = await request.ReadJsonAsync<OrgPatchRequest>(cancellationToken);
        if (body.Failure is { } invalid)
        {
            return invalid.ToActionResult();
        }
        var caller = request.GetCaller();
        var updated = await orgs.UpdateAsync(caller, body.Value!.ToPatch(), request.IfMatch(), cancellationToken);
        return updated.OrNotProvisioned(caller).ToVersionedResult(o => o.Version);
    }
}
