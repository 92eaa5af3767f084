using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Playbooks.Calling.DeadLetters;
using Playbooks.Calling.Identity;
using Playbooks.Functions.Auth;
using Playbooks.Functions.Http;

namespace Playbooks.Functions.DeadLetters;

/// <summary>Puts one dead-lettered call event of the org back on the queue.</summary>
public sealed class DeadLetterReplayFunction(DeadLetterService deadLetters)
{
    [Function(nameof(DeadLetterReplayFunction))]
    [Authorize(Roles = AppRoles.Admin)]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "admin/dead-letters/{id}/replay")] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        (await deadLetters.ReplayAsync(request.GetCaller(), id, cancellationToken)).ToActionResult();
}
