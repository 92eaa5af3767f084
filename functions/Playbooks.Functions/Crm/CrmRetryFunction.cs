using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Playbooks.Calling.Crm;
using Playbooks.Calling.Identity;
using Playbooks.Functions.Auth;
using Playbooks.Functions.Http;

namespace Playbooks.Functions.Crm;

public sealed record CrmRetryRequest(IReadOnlyList<string>? CallSids);

/// <summary>Syncs the chosen sync-failed activities again now; with no body or no callSids, all of them.</summary>
public sealed class CrmRetryFunction(CrmAdminService crm)
{
    [Function(nameof(CrmRetryFunction))]
    [Authorize(Roles = AppRoles.Admin)]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "admin/crm/retry")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        IReadOnlyList<string>? callSids = null;
        if (request.ContentLength is not 0)
        {
            var body = await request.ReadJsonAsync<CrmRetryRequest>(cancellationToken);
            if (body.Failure is { } invalid)
            {
                return invalid.ToActionResult();
            }
            callSids = body.Value!.CallSids;
        }
        return (await crm.RetryAsync(request.GetCaller(), callSids, cancellationToken)).ToActionResult();
    }
}
