using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Playbooks.Calling.Activity;
using Playbooks.Functions.Auth;
using Playbooks.Functions.Http;

namespace Playbooks.Functions.Activity;

/// <summary>The rep's recent calls (a manager's include their teams').</summary>
public sealed class RecentCallsFunction(ActivityListService activities)
{
    [Function(nameof(RecentCallsFunction))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "calls/recent")] HttpRequest request, CancellationToken cancellationToken)
    {
        var result = await activities.RecentAsync(request.GetCaller(), cancellationToken);
        return result.ToActionResult(items => new OkObjectResult(new ActivityListResponse(items.Select(ActivityResponse.From).ToList(), null)));
    }
}
