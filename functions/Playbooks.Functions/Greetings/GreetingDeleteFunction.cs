using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Playbooks.Calling.Greetings;
using Playbooks.Functions.Auth;
using Playbooks.Functions.Http;

namespace Playbooks.Functions.Greetings;

/// <summary>Deletes one of the caller's greetings (204); anyone else's is "not found".</summary>
public sealed class GreetingDeleteFunction(GreetingService greetings)
{
    [Function(nameof(GreetingDeleteFunction))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "me/greetings/{greetingId}")] HttpRequest request,
        string greetingId,
        CancellationToken cancellationToken)
    {
        var deleted = await greetings.DeleteAsync(request.GetCaller(), greetingId, cancellationToken);
        return deleted.ToActionResult(_ => new NoContentResult());
    }
}
