using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Playbooks.Calling.Calls;
using Playbooks.Functions.Auth;
using Playbooks.Functions.Http;

namespace Playbooks.Functions.Calls;

/// <summary>Hangs up a call the caller placed, by either method (the server-side fallback to the browser's END).</summary>
public sealed class EndCallFunction(CallService calls)
{
    [Function(nameof(EndCallFunction))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "calls/{callSid}/end")] HttpRequest request,
        string callSid,
        CancellationToken cancellationToken)
    {
        var ended = await calls.EndCallAsync(request.GetCaller(), callSid, cancellationToken);
        return ended.ToActionResult();
    }
}
