using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Playbooks.Calling.Crm;
using Playbooks.Calling.Identity;
using Playbooks.Functions.Auth;

namespace Playbooks.Functions.Crm;

public sealed class CrmSettingsFunction(CrmAdminService crm)
{
    [Function(nameof(CrmSettingsFunction))]
    [Authorize(Roles = AppRoles.Admin)]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "admin/crm")] HttpRequest request,
        CancellationToken cancellationToken) =>
        CrmResponses.Setting(request, await crm.GetAsync(request.GetCaller(), cancellationToken));
}
