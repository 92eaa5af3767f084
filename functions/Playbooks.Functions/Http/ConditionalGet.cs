using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;
using Playbooks.Calling;

namespace Playbooks.Functions.Http;

/// <summary>
/// A read whose validator is a strong hash of the whole body, so it changes whenever anything the response shows
/// changes (not only the main row's version), and If-None-Match with the current value answers 304 with no body.
/// </summary>
public static class ConditionalGet
{
    /// <summary>The strong ETag (a quoted SHA-256 of the body's JSON) of <paramref name="body"/>.</summary>
    /// <remarks>The web defaults with nulls written, so every ETag handed out so far stays current.</remarks>
    public static string ETagOf(object body)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(body, body.GetType(), JsonSerializerOptions.Web);
        return $"\"{Convert.ToHexStringLower(SHA256.HashData(bytes))[..32]}\"";
    }

    /// <summary>
    /// 304 with the ETag when the request's If-None-Match names the body's current ETag (or is <c>*</c>); otherwise 200
    /// with the body and that ETag. The failure as problem+json. Never cached by intermediaries without revalidating.
    /// </summary>
    public static IActionResult ToConditionalResult<T>(this Result<T> result, HttpRequest request, Func<T, object> body)
    {
        if (!result.IsSuccess)
        {
            return result.Failure!.ToActionResult();
        }
        var value = body(result.Value!);
        var etag = ETagOf(value);
        return Matches(request, etag) ? new NotModifiedResult(etag) : new VersionedResult(value, etag);
    }

    /// <summary>Whether If-None-Match lists <paramref name="etag"/> (weak comparison, as RFC 9110 asks for GET) or is *.</summary>
    public static bool Matches(HttpRequest request, string etag)
    {
        var header = request.Headers.IfNoneMatch.ToString();
        if (header.Trim().Length == 0)
        {
            return false;
        }
        if (!EntityTagHeaderValue.TryParseList(request.Headers.IfNoneMatch, out var tags))
        {
            return false;
        }
        var current = new EntityTagHeaderValue(etag);
        return tags.Any(t => t.Equals(EntityTagHeaderValue.Any) || t.Compare(current, useStrongComparison: false));
    }
}

/// <summary>304 Not Modified: no body, the current ETag repeated.</summary>
public sealed class NotModifiedResult(string etag) : IActionResult
{
    public string ETag => etag;

    public Task ExecuteResultAsync(ActionContext context)
    {
        context.HttpContext.Response.StatusCode = StatusCodes.Status304NotModified;
        context.HttpContext.Response.Headers.ETag = etag;
        context.HttpContext.Response.Headers.CacheControl = "no-cache";
        return Task.CompletedTask;
    }
}
