using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Playbooks.Calling.Crm;
using Playbooks.Calling.Identity;
using Playbooks.Functions.Auth;
using Playbooks.Functions.Http;

namespace Playbooks.Functions.Crm;

/// <summary>The org's activities the CRM refused, each with the CRM's message.</summary>
public sealed class CrmFailuresFunction(CrmAdminService crm)
{
    [Function(nameof(CrmFailuresFunction))]
    [Authorize(Roles = AppRoles.Admin)]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "admin/crm/failures")] HttpRequest request,
        CancellationToken cancellationToken) =>
        (await crm.ListFailuresAsync(request.GetCaller(), cancellationToken))
            .ToActionResult(failures => new OkObjectResult(new { items = failures }));
}
