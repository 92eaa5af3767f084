using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Playbooks.Calling.Quality;
using Playbooks.Functions.Auth;
using Playbooks.Functions.Http;
using Playbooks.Functions.Me;

namespace Playbooks.Functions.Quality;

/// <summary>A signed-in user reports a call's quality; the reporter is always the caller.</summary>
public sealed class QualityReportCreateFunction(QualityReportService reports)
{
    [Function(nameof(QualityReportCreateFunction))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "quality-reports")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        var body = await request.ReadJsonAsync<QualityReportRequest>(cancellationToken);
        if (body.Failure is { } invalid)
        {
            return invalid.ToActionResult();
        }
        var caller = request.GetCaller();
        var report = await reports.SubmitAsync(caller, body.Value!.ToInput(), cancellationToken);
        return report.OrNotProvisioned(caller).ToActionResult(r => new ObjectResult(r) { StatusCode = StatusCodes.Status201Created });
    }
}
