using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Playbooks.Calling.Identity;
using Playbooks.Calling.People;
using Playbooks.Functions.Auth;
using Playbooks.Functions.Http;
using Playbooks.Functions.Me;

namespace Playbooks.Functions.People;

/// <summary>An admin adds a person by email ahead of their first sign-in; 201 with the person, 409 <c>email-taken</c> for a known address.</summary>
public sealed class PersonCreateFunction(PeopleService people)
{
    [Function(nameof(PersonCreateFunction))]
    [Authorize(Roles = AppRoles.Admin)]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "admin/people")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        var body = await request.ReadJsonAsync<PersonCreateRequest>(cancellationToken);
        if (body.Failure is { } invalid)
        {
            return invalid.ToActionResult();
        }
        var caller = request.GetCaller();
        var created = await people.CreateAsync(caller, body.Value!.ToNewPerson(), cancellationToken);
        return created.OrNotProvisioned(caller).ToVersionedResult(p => p.Version, statusCode: StatusCodes.Status201Created);
    }
}
