using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Playbooks.Calling.Health;

namespace Playbooks.Functions.Health;

/// <summary>Readiness: storage (and Service Bus and the CRM vault when configured) answer; the result is cached for a few seconds.</summary>
public sealed class HealthFunction(HealthProbe probe)
{
    [Function(nameof(HealthFunction))]
    [AllowAnonymous]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "health")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        var summary = await probe.CheckAsync(cancellationToken);
        request.HttpContext.Response.Headers.CacheControl = "no-store";
        return new ObjectResult(summary) { StatusCode = summary.Healthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable };
    }
}
