using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Playbooks.Calling.Calls;
using Playbooks.Functions.Auth;
using Playbooks.Functions.Http;

namespace Playbooks.Functions.Calls;

/// <summary>Where a call the caller placed stands (ringing, waiting for the key, connecting, in call, ended and why); the dialer polls it.</summary>
public sealed class CallStateFunction(CallStateService states)
{
    [Function(nameof(CallStateFunction))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "calls/{callSid}/state")] HttpRequest request,
        string callSid,
        CancellationToken cancellationToken)
    {
        var state = await states.GetAsync(request.GetCaller(), callSid, cancellationToken);
        return state.ToActionResult();
    }
}
