using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Playbooks.Calling.Identity;
using Playbooks.Calling.PermissionGroups;
using Playbooks.Functions.Auth;
using Playbooks.Functions.Http;

namespace Playbooks.Functions.PermissionGroups;

public sealed class PermissionGroupFunction(PermissionGroupService groups)
{
    [Function(nameof(PermissionGroupFunction))]
    [Authorize(Roles = AppRoles.Admin + "," + AppRoles.Manager)]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "admin/permission-groups/{id}")] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        (await groups.GetAsync(request.GetCaller(), id, cancellationToken)).ToVersionedResult(g => g.Version);
}
