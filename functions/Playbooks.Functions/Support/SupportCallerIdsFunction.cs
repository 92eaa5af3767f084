using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Playbooks.Calling.CallerIds;
using Playbooks.Calling.Identity;
using Playbooks.Functions.Auth;
using Playbooks.Functions.Http;

namespace Playbooks.Functions.Support;

/// <summary>Support lists the caller IDs an org holds.</summary>
public sealed class SupportCallerIdsFunction(CallerIdService callerIds)
{
    [Function(nameof(SupportCallerIdsFunction))]
    [Authorize(Roles = AppRoles.Support)]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "support/orgs/{orgId}/caller-ids")] HttpRequest request,
        string orgId,
        CancellationToken cancellationToken) =>
        (await callerIds.ListAsync(request.GetCaller(), orgId, cancellationToken)).ToActionResult();
}
