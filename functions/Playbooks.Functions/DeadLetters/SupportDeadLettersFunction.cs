using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Playbooks.Calling.DeadLetters;
using Playbooks.Calling.Identity;
using Playbooks.Functions.Auth;
using Playbooks.Functions.Http;

namespace Playbooks.Functions.DeadLetters;

/// <summary>Support sees every org's dead-lettered call events (?orgId= narrows to one org).</summary>
public sealed class SupportDeadLettersFunction(DeadLetterService deadLetters)
{
    [Function(nameof(SupportDeadLettersFunction))]
    [Authorize(Roles = AppRoles.Support)]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "support/dead-letters")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        string? orgId = request.Query.TryGetValue("orgId", out var values) ? values.ToString() : null;
        return (await deadLetters.ListAllAsync(request.GetCaller(), orgId, cancellationToken)).ToActionResult(items => new OkObjectResult(new { items }));
    }
}
