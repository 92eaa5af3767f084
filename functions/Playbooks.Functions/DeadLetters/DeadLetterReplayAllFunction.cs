using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Playbooks.Calling.DeadLetters;
using Playbooks.Calling.Identity;
using Playbooks.Functions.Auth;
using Playbooks.Functions.Http;

namespace Playbooks.Functions.DeadLetters;

/// <summary>Puts every dead-lettered call event of the org back on the queue.</summary>
public sealed class DeadLetterReplayAllFunction(DeadLetterService deadLetters)
{
    [Function(nameof(DeadLetterReplayAllFunction))]
    [Authorize(Roles = AppRoles.Admin)]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "admin/dead-letters/replay")] HttpRequest request,
        CancellationToken cancellationToken) =>
        (await deadLetters.ReplayAllAsync(request.GetCaller(), cancellationToken)).ToActionResult();
}
