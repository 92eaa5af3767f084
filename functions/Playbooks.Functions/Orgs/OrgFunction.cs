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

public sealed class OrgFunction(OrgService orgs)
{
    [Function(nameof(OrgFunction))]
    [Authorize(Roles = AppRoles.Admin)]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "admin/org")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        var caller = request.GetCaller();
        return (await orgs.GetAsync(caller, cancellationToken)).OrNotProvisioned(caller).ToVersionedResult(o => o.Version);
    }
}
