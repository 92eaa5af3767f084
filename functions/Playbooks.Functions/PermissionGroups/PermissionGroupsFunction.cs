using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Playbooks.Calling.Identity;
using Playbooks.Calling.PermissionGroups;
using Playbooks.Functions.Auth;
using Playbooks.Functions.Http;

namespace Playbooks.Functions.PermissionGroups;

public sealed class PermissionGroupsFunction(PermissionGroupService groups)
{
    [Function(nameof(PermissionGroupsFunction))]
    [Authorize(Roles = AppRoles.Admin + "," + AppRoles.Manager)]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "admin/permission-groups")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        var page = request.ReadPage();
        if (page.Failure is { } invalid)
        {
            return invalid.ToActionResult();
        }
        return (await groups.ListAsync(request.GetCaller(), page.Value!, cancellationToken)).ToPageResult();
    }
}
