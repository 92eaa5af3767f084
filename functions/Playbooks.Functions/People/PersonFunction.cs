using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Playbooks.Calling.Identity;
using Playbooks.Calling.People;
using Playbooks.Functions.Auth;
using Playbooks.Functions.Http;

namespace Playbooks.Functions.People;

public sealed class PersonFunction(PeopleService people)
{
    [Function(nameof(PersonFunction))]
    [Authorize(Roles = AppRoles.Admin + "," + AppRoles.Manager)]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "admin/people/{userId}")] HttpRequest request,
        string userId,
        CancellationToken cancellationToken) =>
        (await people.GetAsync(request.GetCaller(), userId, cancellationToken)).ToVersionedResult(p => p.Version);
}
