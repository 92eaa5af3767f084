using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Playbooks.Calling.Crm;
using Playbooks.Calling.Identity;
using Playbooks.Functions.Auth;
using Playbooks.Functions.Http;

namespace Playbooks.Functions.Crm;

/// <summary>Signs in to the org's CRM and reads from it: 200 with success false and the CRM's error when that fails.</summary>
public sealed class CrmConnectionTestFunction(CrmAdminService crm)
{
    [Function(nameof(CrmConnectionTestFunction))]
    [Authorize(Roles = AppRoles.Admin)]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "admin/crm/test")] HttpRequest request,
        CancellationToken cancellationToken) =>
        (await crm.TestAsync(request.GetCaller(), cancellationToken)).ToActionResult();
}
