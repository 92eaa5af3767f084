using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Playbooks.Calling.Identity;
using Playbooks.Calling.PermissionGroups;
using Playbooks.Functions.Auth;
using Playbooks.Functions.Http;

namespace Playbooks.Functions.PermissionGroups;

public sealed class PermissionGroupCreateFunction(PermissionGroupService groups)
{
    [Function(nameof(PermissionGroupCreateFunction))]
    [Authorize(Roles = AppRoles.Admin + "," + AppRoles.Manager)]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "admin/permission-groups")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        var body = await request.ReadJsonAsync<PermissionGroupRequest>(cancellationToken);
        var input = body.IsSuccess ? body.Value!.ToInput() : body.Failure!;
        if (input.Failure is { } invalid)
        {
            return invalid.ToActionResult();
        }
        var created = await groups.CreateAsync(request.GetCaller(), input.Value!, cancellationToken);
        return created.ToVersionedResult(g => g.Version, statusCode: StatusCodes.Status201Created);
    }
}
