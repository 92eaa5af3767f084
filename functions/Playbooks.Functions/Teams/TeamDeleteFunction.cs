using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Playbooks.Calling.Identity;
using Playbooks.Calling.Teams;
using Playbooks.Functions.Auth;
using Playbooks.Functions.Http;

namespace Playbooks.Functions.Teams;

/// <summary>Deletes an empty team (admins only; 409 <c>team-has-members</c> with memberCount otherwise); honours If-Match.</summary>
public sealed class TeamDeleteFunction(TeamsService teams)
{
    [Function(nameof(TeamDeleteFunction))]
    [Authorize(Roles = AppRoles.Admin)]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "admin/teams/{id}")] HttpRequest request,
        string id,
        CancellationToken cancellationToken)
    {
        var deleted = await teams.DeleteAsync(request.GetCaller(), id, request.IfMatch(), cancellationToken);
        return deleted.ToActionResult(_ => new NoContentResult());
    }
}
