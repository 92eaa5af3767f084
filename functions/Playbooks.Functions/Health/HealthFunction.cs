using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Playbooks.Calling.Health;

namespace Playbooks.Functions.Health;

public sealed class HealthFunction(StorageHealthCheck storage)
{
    [Function(nameof(HealthFunction))]
    [AllowAnonymous]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "health")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        var report = await storage.CheckAsync(cancellationToken);
        return new ObjectResult(report) { StatusCode = report.Healthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable };
    }
}
