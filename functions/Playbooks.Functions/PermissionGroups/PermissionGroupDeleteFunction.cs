using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Playbooks.Calling.Identity;
using Playbooks.Calling.PermissionGroups;
using Playbooks.Functions.Auth;
using Playbooks.Functions.Http;

namespace Playbooks.Functions.PermissionGroups;

/// <summary>Deletes an empty group (409 with memberCount otherwise); honours If-Match.</summary>
public sealed class PermissionGroupDeleteFunction(PermissionGroupService groups)
{
    [Function(nameof(PermissionGroupDeleteFunction))]
    [Authorize(Roles = AppRoles.Admin + "," + AppRoles.Manager)]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "admin/permission-groups/{id}")] HttpRequest request,
        string id,
        CancellationToken cancellationToken)
    {
        var deleted = await groups.DeleteAsync(request.GetCaller(), id, request.IfMatch(), cancellationToken);
        return deleted.ToActionResult(_ => new NoContentResult());
    }
}
