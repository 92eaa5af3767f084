using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Playbooks.Calling.Identity;
using Playbooks.Calling.Teams;
using Playbooks.Functions.Auth;
using Playbooks.Functions.Http;

namespace Playbooks.Functions.Teams;

/// <summary>Replaces a team's name and managers (admins only); honours If-Match.</summary>
public sealed class TeamUpdateFunction(TeamsService teams)
{
    [Function(nameof(TeamUpdateFunction))]
    [Authorize(Roles = AppRoles.Admin)]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "admin/teams/{id}")] HttpRequest request,
        string id,
        CancellationToken cancellationToken)
    {
        var body = await request.ReadJsonAsync<TeamRequest>(cancellationToken);
        var input = body.IsSuccess ? body.Value!.ToInput(managersRequired: true) : body.Failure!;
        if (input.Failure is { } invalid)
        {
            return invalid.ToActionResult();
        }
        var updated = await teams.UpdateAsync(request.GetCaller(), id, input.Value!, request.IfMatch(), cancellationToken);
        return updated.ToVersionedResult(t => t.Version);
    }
}
