using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Playbooks.Calling.Greetings;
using Playbooks.Functions.Auth;

namespace Playbooks.Functions.Greetings;

/// <summary>The caller's own voicemail greetings, oldest first.</summary>
public sealed class GreetingListFunction(GreetingService greetings)
{
    [Function(nameof(GreetingListFunction))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "me/greetings")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        var list = await greetings.ListAsync(request.GetCaller(), cancellationToken);
        return new OkObjectResult(GreetingListResponse.From(list));
    }
}
