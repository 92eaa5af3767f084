using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Playbooks.Calling.Activity;
using Playbooks.Functions.Auth;
using Playbooks.Functions.Http;

namespace Playbooks.Functions.Activity;

/// <summary>The rep's after-call disposition and notes on their own call.</summary>
public sealed class CallDispositionFunction(DispositionService dispositions)
{
    [Function(nameof(CallDispositionFunction))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "calls/{callSid}/disposition")] HttpRequest request,
        string callSid,
        CancellationToken cancellationToken)
    {
        var body = await request.ReadJsonAsync<DispositionInput>(cancellationToken);
        if (body.Failure is { } invalid) return invalid.ToActionResult();
        var result = await dispositions.SetDispositionAsync(request.GetCaller(), callSid, body.Value!, cancellationToken);
        return result.ToActionResult(activity => new OkObjectResult(ActivityResponse.From(activity)));
    }
}
