using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Playbooks.Functions.Auth;

namespace Playbooks.Functions.Me;

public sealed class MeFunction
{
    [Function(nameof(MeFunction))]
    public IActionResult Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "me")] HttpRequest request)
    {
        var caller = request.GetCaller();
        return new OkObjectResult(new
        {
            user = new { id = caller.UserId, displayName = caller.DisplayName },
            org = new { id = caller.OrgId },
            roles = caller.Roles.Order(StringComparer.Ordinal),
        });
    }
}
