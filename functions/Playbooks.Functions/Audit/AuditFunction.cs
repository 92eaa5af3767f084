using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Playbooks.Calling.Audit;
using Playbooks.Calling.Identity;
using Playbooks.Functions.Auth;
using Playbooks.Functions.Http;

namespace Playbooks.Functions.Audit;

/// <summary>The org's audit log, newest first.</summary>
public sealed class AuditFunction(AuditService audit)
{
    [Function(nameof(AuditFunction))]
    [Authorize(Roles = AppRoles.Admin)]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "admin/audit")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        var page = request.ReadPage();
        if (page.Failure is { } invalid)
        {
            return invalid.ToActionResult();
        }
        return (await audit.ListAsync(request.GetCaller(), page.Value!, cancellationToken)).ToPageResult();
    }
}
