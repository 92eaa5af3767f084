using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Playbooks.Calling;
using Playbooks.Calling.Activity;
using Playbooks.Calling.Identity;
using Playbooks.Calling.Storage;
using Playbooks.Functions.Auth;
using Playbooks.Functions.Http;

namespace Playbooks.Functions.Activity;

/// <summary>The calls list of the admin pages: an admin's whole org, a manager's teams.</summary>
public sealed class AdminCallsFunction(ActivityListService activities)
{
    [Function(nameof(AdminCallsFunction))]
    [Authorize(Roles = AppRoles.Admin + "," + AppRoles.Manager)]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "admin/calls")] HttpRequest request, CancellationToken cancellationToken)
    {
        var query = request.Query;
        var pageSize = PageRequest.DefaultPageSize;
        if (query["pageSize"].ToString() is { Length: > 0 } size && !int.TryParse(size, NumberStyles.None, CultureInfo.InvariantCulture, out pageSize))
        {
            return Failure.Invalid("pageSize", $"pageSize must be a whole number between 1 and {PageRequest.MaxPageSize}.").ToActionResult();
        }

        var filter = new ActivityFilter(Text(query["userId"]), Text(query["method"]), Text(query["outcome"]), Text(query["from"]), Text(query["to"]));
        var page = new PageRequest(pageSize, Text(query["continuationToken"]));
        var result = await activities.ListAsync(request.GetCaller(), filter, page, cancellationToken);
        return result.ToActionResult(list =>
            new OkObjectResult(new ActivityListResponse(list.Items.Select(ActivityResponse.From).ToList(), list.ContinuationToken)));
    }

    private static string? Text(Microsoft.Extensions.Primitives.StringValues value) =>
        string.IsNullOrWhiteSpace(value.ToString()) ? null : value.ToString().Trim();
}
