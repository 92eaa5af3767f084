using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Playbooks.Calling.Identity;
using Playbooks.Calling.Orgs;
using Playbooks.Functions.Auth;
using Playbooks.Functions.Http;

namespace Playbooks.Functions.Support;

/// <summary>Support reads any org's settings (vendor staff work across orgs).</summary>
public sealed class SupportOrgFunction(SupportOrgService support)
{
    [Function(nameof(SupportOrgFunction))]
    [Authorize(Roles = AppRoles.Support)]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "support/orgs/{orgId}")] HttpRequest request,
        string orgId,
        CancellationToken cancellationToken) =>
        (await support.GetAsync(request.GetCaller(), orgId, cancellationToken)).ToVersionedResult(o => o.Version);
}
