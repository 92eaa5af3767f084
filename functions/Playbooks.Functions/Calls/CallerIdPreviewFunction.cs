using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Playbooks.Calling.Calls;
using Playbooks.Functions.Auth;
using Playbooks.Functions.Http;

namespace Playbooks.Functions.Calls;

/// <summary>The caller ID the prospect at <c>to</c> will see, so the dialer can show it before the rep dials.</summary>
public sealed class CallerIdPreviewFunction(CallerIdPreviewService previews)
{
    [Function(nameof(CallerIdPreviewFunction))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "calls/caller-id")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        var preview = await previews.PreviewAsync(request.GetCaller(), request.Query["to"].ToString(), cancellationToken);
        return preview.ToActionResult();
    }
}
