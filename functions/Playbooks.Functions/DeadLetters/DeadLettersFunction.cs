using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Playbooks.Calling.DeadLetters;
using Playbooks.Calling.Identity;
using Playbooks.Functions.Auth;
using Playbooks.Functions.Http;

namespace Playbooks.Functions.DeadLetters;

/// <summary>The org's call events the activity writer gave up on: reason, call and time.</summary>
public sealed class DeadLettersFunction(DeadLetterService deadLetters)
{
    [Function(nameof(DeadLettersFunction))]
    [Authorize(Roles = AppRoles.Admin)]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "admin/dead-letters")] HttpRequest request,
        CancellationToken cancellationToken) =>
        (await deadLetters.ListAsync(request.GetCaller(), cancellationToken)).ToActionResult(items => new OkObjectResult(new { items }));
}
