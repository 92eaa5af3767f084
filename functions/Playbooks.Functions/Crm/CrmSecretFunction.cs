using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Playbooks.Calling.Crm;
using Playbooks.Calling.Identity;
using Playbooks.Functions.Auth;
using Playbooks.Functions.Http;

namespace Playbooks.Functions.Crm;

/// <summary>Whether the org's CRM client secret is set, and under which name; never the value.</summary>
public sealed class CrmSecretFunction(CrmSecretService secrets)
{
    [Function(nameof(CrmSecretFunction))]
    [Authorize(Roles = AppRoles.Admin)]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "admin/crm/secret")] HttpRequest request,
        CancellationToken cancellationToken) =>
        (await secrets.GetStatusAsync(request.GetCaller(), cancellationToken)).ToActionResult(CrmResponses.SecretStatus);
}
