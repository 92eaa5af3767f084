using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Playbooks.Calling.Identity;
using Playbooks.Calling.Orgs;
using Playbooks.Functions.Auth;
using Playbooks.Functions.Http;

namespace Playbooks.Functions.Support;

/// <summary>Support switches computer-based calling for one org; a sandbox is switched on its own. Honours If-Match.</summary>
public sealed class SupportComputerCallingFunction(SupportOrgService support)
{
    [Function(nameof(SupportComputerCallingFunction))]
    [Authorize(Roles = AppRoles.Support)]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "support/orgs/{orgId}/computer-calling")] HttpRequest request,
        string orgId,
        CancellationToken cancellationToken)
    {
        var body = await request.ReadJsonAsync<ComputerCallingRequest>(cancellationToken);
        var enabled = body.IsSuccess ? body.Value!.ToEnabled() : body.Failure!;
        if (enabled.Failure is { } invalid)
        {
            return invalid.ToActionResult();
        }
        var updated = await support.SetComputerCallingAsync(request.GetCaller(), orgId, enabled.Value, request.IfMatch(), cancellationToken);
        return updated.ToVersionedResult(o => o.Version);
    }
}
