using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Playbooks.Calling.Calls;
using Playbooks.Functions.Auth;
using Playbooks.Functions.Http;

namespace Playbooks.Functions.Calls;

/// <summary>A network-test (preflight) token for any signed-in person, whatever their calling preference.</summary>
public sealed class PreflightTokenFunction(PreflightTokenService tokens)
{
    [Function(nameof(PreflightTokenFunction))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "calls/preflight-token")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        var token = await tokens.IssueAsync(request.GetCaller(), cancellationToken);
        // A bearer credential: no cache may keep it.
        request.HttpContext.Response.Headers.CacheControl = "no-store";
        return token.ToActionResult();
    }
}
