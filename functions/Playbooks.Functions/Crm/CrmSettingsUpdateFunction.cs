using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Playbooks.Calling.Crm;
using Playbooks.Calling.Identity;
using Playbooks.Functions.Auth;
using Playbooks.Functions.Http;

namespace Playbooks.Functions.Crm;

public sealed class CrmSettingsUpdateFunction(CrmAdminService crm)
{
    [Function(nameof(CrmSettingsUpdateFunction))]
    [Authorize(Roles = AppRoles.Admin)]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "admin/crm")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        var input = await request.ReadJsonAsync<CrmConnectionInput>(cancellationToken);
        if (input.Failure is { } invalid)
        {
            return invalid.ToActionResult();
        }
        var ifMatch = request.Headers.IfMatch.ToString();
        var saved = await crm.UpdateAsync(request.GetCaller(), input.Value!, string.IsNullOrEmpty(ifMatch) ? null : ifMatch, cancellationToken);
        return CrmResponses.Setting(request, saved);
    }
}
