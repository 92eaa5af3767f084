using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Playbooks.Calling.Calls;
using Playbooks.Functions.Auth;
using Playbooks.Functions.Http;

namespace Playbooks.Functions.Calls;

/// <summary>Starts a phone-based call: Twilio rings the rep's phone, then dials the prospect when they answer.</summary>
public sealed class StartCallFunction(CallService calls)
{
    [Function(nameof(StartCallFunction))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "calls")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        var body = await request.ReadJsonAsync<PhoneCallRequest>(cancellationToken);
        if (body.Failure is { } invalid)
        {
            return invalid.ToActionResult();
        }

        var started = await calls.StartPhoneCallAsync(request.GetCaller(), body.Value!, cancellationToken);
        return started.ToActionResult(call => new ObjectResult(call) { StatusCode = StatusCodes.Status201Created });
    }
}
