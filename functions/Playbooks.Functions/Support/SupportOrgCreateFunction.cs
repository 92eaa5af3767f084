using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Playbooks.Calling.Identity;
using Playbooks.Calling.Orgs;
using Playbooks.Functions.Auth;
using Playbooks.Functions.Http;

namespace Playbooks.Functions.Support;

/// <summary>Support creates an org, or a sandbox org of an existing one; both start with computer calling off.</summary>
public sealed class SupportOrgCreateFunction(SupportOrgService support)
{
    [Function(nameof(SupportOrgCreateFunction))]
    [Authorize(Roles = AppRoles.Support)]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "support/orgs")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        var body = await request.ReadJsonAsync<NewOrgRequest>(cancellationToken);
        if (body.Failure is { } invalid)
        {
            return invalid.ToActionResult();
        }
        var created = await support.CreateAsync(request.GetCaller(), body.Value!.ToNewOrg(), cancellationToken);
        return created.ToVersionedResult(o => o.Version, statusCode: StatusCodes.Status201Created);
    }
}
