using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Playbooks.Calling.CallerIds;
using Playbooks.Calling.Identity;
using Playbooks.Functions.Auth;
using Playbooks.Functions.Http;

namespace Playbooks.Functions.Support;

/// <summary>Support takes a caller ID back from an org; calls stop using it at once.</summary>
public sealed class SupportCallerIdReleaseFunction(CallerIdService callerIds)
{
    [Function(nameof(SupportCallerIdReleaseFunction))]
    [Authorize(Roles = AppRoles.Support)]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "support/orgs/{orgId}/caller-ids/{phoneNumber}")] HttpRequest request,
        string orgId,
        string phoneNumber,
        CancellationToken cancellationToken) =>
        (await callerIds.ReleaseAsync(request.GetCaller(), orgId, phoneNumber, cancellationToken)).ToActionResult(_ => new NoContentResult());
}
