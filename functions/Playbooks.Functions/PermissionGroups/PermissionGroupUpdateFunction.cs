using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Playbooks.Calling.Identity;
using Playbooks.Calling.PermissionGroups;
using Playbooks.Functions.Auth;
using Playbooks.Functions.Http;

namespace Playbooks.Functions.PermissionGroups;

/// <summary>Replaces a group's name and Phone Settings; honours If-Match.</summary>
public sealed class PermissionGroupUpdateFunction(PermissionGroupService groups)
{
    [Function(nameof(PermissionGroupUpdateFunction))]
    [Authorize(Roles = AppRoles.Admin + "," + AppRoles.Manager)]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "admin/permission-groups/{id}")] HttpRequest request,
        string id,
        CancellationToken cancellationToken)
    {
        var body = await request.ReadJsonAsync<PermissionGroupRequest>(cancellationToken);
        var input = body.IsSuccess ? body.Value!.ToInput() : body.Failure!;
        if (input.Failure is { } invalid)
        {
            return invalid.ToActionResult();
        }
        var updated = await groups.UpdateAsync(request.GetCaller(), id, input.Value!, request.IfMatch(), cancellationToken);
        return updated.ToVersionedResult(g => g.Version);
    }
}
