using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Playbooks.Calling.Identity;
using Playbooks.Calling.Teams;
using Playbooks.Functions.Auth;
using Playbooks.Functions.Http;

namespace Playbooks.Functions.Teams;

/// <summary>One team's people (team → person → Edit uses PATCH /api/admin/people/{userId}, as the People page does).</summary>
public sealed class TeamPeopleFunction(TeamsService teams)
{
    [Function(nameof(TeamPeopleFunction))]
    [Authorize(Roles = AppRoles.Admin + "," + AppRoles.Manager)]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "admin/teams/{id}/people")] HttpRequest request,
        string id,
        CancellationToken cancellationToken)
    {
        var page = request.ReadPage();
        if (page.Failure is { } invalid)
        {
            return invalid.ToActionResult();
        }
        return (await teams.ListPeopleAsync(request.GetCaller(), id, page.Value!, cancellationToken)).ToPageResult();
    }
}
