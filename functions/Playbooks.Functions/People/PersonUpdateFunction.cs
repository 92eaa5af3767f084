using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Playbooks.Calling.Identity;
using Playbooks.Calling.People;
using Playbooks.Functions.Auth;
using Playbooks.Functions.Http;

namespace Playbooks.Functions.People;

/// <summary>
/// Edits a person's team, permission group, calling preference and agent phone; the one API behind both the Teams
/// and the People page. Answers <c>{person, warnings}</c>: warnings say when the person cannot call with their preference.
/// </summary>
public sealed class PersonUpdateFunction(PeopleService people)
{
    [Function(nameof(PersonUpdateFunction))]
    [Authorize(Roles = AppRoles.Admin + "," + AppRoles.Manager)]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "patch", Route = "admin/people/{userId}")] HttpRequest request,
        string userId,
        CancellationToken cancellationToken)
    {
        var body = await request.ReadJsonAsync<PersonPatchRequest>(cancellationToken);
        if (body.Failure is { } invalid)
        {
            return invalid.ToActionResult();
        }
        var updated = await people.UpdateAsync(request.GetCaller(), userId, body.Value!.ToPatch(), request.IfMatch(), cancellationToken);
        return updated.ToVersionedResult(u => u.Person.Version);
    }
}
