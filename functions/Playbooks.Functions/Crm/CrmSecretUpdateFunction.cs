using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Playbooks.Calling.Crm;
using Playbooks.Calling.Identity;
using Playbooks.Functions.Auth;
using Playbooks.Functions.Http;

namespace Playbooks.Functions.Crm;

public sealed record CrmSecretRequest(string? ClientSecret);

/// <summary>Stores the org's CRM client secret in the CRM Key Vault; the answer says it is set, never what it is.</summary>
public sealed class CrmSecretUpdateFunction(CrmSecretService secrets)
{
    [Function(nameof(CrmSecretUpdateFunction))]
    [Authorize(Roles = AppRoles.Admin)]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "admin/crm/secret")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        var body = await request.ReadJsonAsync<CrmSecretRequest>(cancellationToken);
        if (body.Failure is { } invalid)
        {
            return invalid.ToActionResult();
        }
        return (await secrets.SetAsync(request.GetCaller(), body.Value!.ClientSecret, cancellationToken)).ToActionResult(CrmResponses.SecretStatus);
    }
}
