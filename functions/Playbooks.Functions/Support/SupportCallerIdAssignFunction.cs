using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Playbooks.Calling.CallerIds;
using Playbooks.Calling.Identity;
using Playbooks.Functions.Auth;
using Playbooks.Functions.Http;

namespace Playbooks.Functions.Support;

/// <summary>
/// Support gives an org a number the Twilio account owns or has verified; 409 caller-id-assigned-elsewhere when
/// another org holds it. Assigning a number the org already holds changes nothing.
/// </summary>
public sealed class SupportCallerIdAssignFunction(CallerIdService callerIds)
{
    [Function(nameof(SupportCallerIdAssignFunction))]
    [Authorize(Roles = AppRoles.Support)]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "support/orgs/{orgId}/caller-ids/{phoneNumber}")] HttpRequest request,
        string orgId,
        string phoneNumber,
        CancellationToken cancellationToken) =>
        (await callerIds.AssignAsync(request.GetCaller(), orgId, phoneNumber, cancellationToken)).ToActionResult();
}
