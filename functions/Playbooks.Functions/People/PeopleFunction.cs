using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Playbooks.Calling;
using Playbooks.Calling.Identity;
using Playbooks.Calling.People;
using Playbooks.Calling.Storage;
using Playbooks.Functions.Auth;
using Playbooks.Functions.Http;

namespace Playbooks.Functions.People;

/// <summary>The People page: everyone the caller manages, optionally searched by name or email.</summary>
public sealed class PeopleFunction(PeopleService people)
{
    [Function(nameof(PeopleFunction))]
    [Authorize(Roles = AppRoles.Admin + "," + AppRoles.Manager)]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "admin/people")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        var page = request.ReadPage();
        if (page.Failure is { } invalid)
        {
            return invalid.ToActionResult();
        }
        var search = request.Query["search"].ToString();
        if (search.Length > Validation.MaxNameLength)
        {
            return Failure.Invalid("search", $"search must be at most {Validation.MaxNameLength} characters.").ToActionResult();
        }
        var list = await people.ListAsync(request.GetCaller(), search.Length == 0 ? null : search, page.Value!, cancellationToken);
        return list.ToPageResult();
    }
}
