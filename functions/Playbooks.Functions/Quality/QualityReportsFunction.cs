using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Playbooks.Calling.Identity;
using Playbooks.Calling.Quality;
using Playbooks.Functions.Auth;
using Playbooks.Functions.Http;

namespace Playbooks.Functions.Quality;

/// <summary>Call-quality reports, newest first: a manager's teams' or, for an admin, the whole org's.</summary>
public sealed class QualityReportsFunction(QualityReportService reports)
{
    [Function(nameof(QualityReportsFunction))]
    [Authorize(Roles = AppRoles.Admin + "," + AppRoles.Manager)]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "admin/quality-reports")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        var page = request.ReadPage();
        if (page.Failure is { } invalid)
        {
            return invalid.ToActionResult();
        }
        return (await reports.ListAsync(request.GetCaller(), page.Value!, cancellationToken)).ToPageResult();
    }
}
