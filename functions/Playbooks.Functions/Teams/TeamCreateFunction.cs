using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Playbooks.Calling.Identity;
using Playbooks.Calling.Teams;
using Playbooks.Functions.Auth;
using Playbooks.Functions.Http;

namespace Playbooks.Functions.Teams;

/// <summary>Creates a team (admins only); 201 with the team and its ETag.</summary>
public sealed class TeamCreateFunction(TeamsService teams)
{
    [Function(nameof(TeamCreateFunction))]
    [Authorize(Roles = AppRoles.Admin)]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "admin/teams")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        var body = await request.ReadJsonAsync<TeamRequest>(cancellationToken);
        var input = body.IsSuccess ? body.Value!.ToInput(managersRequired: false) : body.Failure!;
        if (input.Failure is { } invalid)
        {
            return invalid.ToActionResult();
        }
        var created = await teams.CreateAsync(request.GetCaller(), input.Value!, cancellationToken);
        return created.ToVersionedResult(t => t.Version, statusCode: StatusCodes.Status201Created);
    }
}
