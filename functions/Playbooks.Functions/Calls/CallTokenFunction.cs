using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Playbooks.Calling.Calls;
using Playbooks.Functions.Auth;
using Playbooks.Functions.Http;

namespace Playbooks.Functions.Calls;

/// <summary>A Twilio Voice access token and Device options for computer-based calling.</summary>
public sealed class CallTokenFunction(CallTokenService tokens)
{
    [Function(nameof(CallTokenFunction))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "calls/token")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        var token = await tokens.IssueAsync(request.GetCaller(), cancellationToken);
        // A bearer credential: no cache may keep it.
        request.HttpContext.Response.Headers.CacheControl = "no-store";
        return token.ToActionResult();
    }
}
