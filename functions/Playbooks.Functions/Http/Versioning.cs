using System.Globalization;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Playbooks.Calling;
using Playbooks.Calling.Storage;

namespace Playbooks.Functions.Http;

/// <summary>ETag / If-Match and paging query parameters, the same way on every endpoint.</summary>
public static class Versioning
{
    /// <summary>The If-Match header as sent (the stored version is the ETag), or null when absent or blank.</summary>
    public static string? IfMatch(this HttpRequest request)
    {
        var value = request.Headers.IfMatch.ToString().Trim();
        return value.Length == 0 ? null : value;
    }

    /// <summary>
    /// 200 (or <paramref name="statusCode"/>) with the value, or <paramref name="body"/> of it, and its version as the
    /// ETag header; the failure as problem+json.
    /// </summary>
    public static IActionResult ToVersionedResult<T>(
        this Result<T> result, Func<T, string?> version, Func<T, object>? body = null, int statusCode = StatusCodes.Status200OK) =>
        result.IsSuccess
            ? new VersionedResult(body?.Invoke(result.Value!) ?? result.Value!, version(result.Value!), statusCode)
            : result.Failure!.ToActionResult();

    /// <summary>A list as <c>{items, continuationToken}</c>; the token is null on the last page.</summary>
    public static IActionResult ToPageResult<T>(this Result<PagedList<T>> result) =>
        result.ToActionResult(page => new OkObjectResult(new PageResponse<T>(page.Items, page.ContinuationToken)));

    /// <summary>
    /// <c>pageSize</c> and <c>continuationToken</c> from the query string. A pageSize that is not a whole number is
    /// refused here; its range and the token are checked by the service, which knows its limits.
    /// </summary>
    public static Result<PageRequest> ReadPage(this HttpRequest request)
    {
        var pageSize = PageRequest.DefaultPageSize;
        var rawSize = request.Query["pageSize"].ToString();
        if (rawSize.Length > 0 && !int.TryParse(rawSize, NumberStyles.None, CultureInfo.InvariantCulture, out pageSize))
        {
            return Failure.Invalid("pageSize", $"pageSize must be a whole number between 1 and {PageRequest.MaxPageSize}.");
        }
        var token = request.Query["continuationToken"].ToString();
        return new PageRequest(pageSize, token.Length == 0 ? null : token);
    }
}

/// <summary>One page of a list as the API returns it.</summary>
public sealed record PageResponse<T>(
    IReadOnlyList<T> Items,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? ContinuationToken);

/// <summary>A single resource with its version in the <c>ETag</c> header, so the client can send it back as If-Match.</summary>
public sealed class VersionedResult(object value, string? version, int statusCode = StatusCodes.Status200OK) : IActionResult
{
    public object Value => value;

    public string? ETag => version;

    public int StatusCode => statusCode;

    public Task ExecuteResultAsync(ActionContext context)
    {
        if (!string.IsNullOrEmpty(version))
        {
            context.HttpContext.Response.Headers.ETag = version;
        }
        return new ObjectResult(value) { StatusCode = statusCode }.ExecuteResultAsync(context);
    }
}
