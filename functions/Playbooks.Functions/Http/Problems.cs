using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Playbooks.Calling;
using Playbooks.Calling.Telemetry;

namespace Playbooks.Functions.Http;

/// <summary>An RFC 9457 problem with our stable <c>code</c> (and <c>field</c> for bad input).</summary>
public sealed record ProblemResponse(int Status, string Code, string Title, string Detail)
{
    public string? Field { get; init; }

    public TimeSpan? RetryAfter { get; init; }

    public IReadOnlyDictionary<string, object?>? Extensions { get; init; }

    public ProblemDetails ToProblemDetails()
    {
        var problem = new ProblemDetails { Status = Status, Title = Title, Detail = Detail, Type = $"https://playbooks.calling/problems/{Code}" };
        problem.Extensions["code"] = Code;
        if (Field is not null)
        {
            problem.Extensions["field"] = Field;
        }

        foreach (var (key, value) in Extensions ?? new Dictionary<string, object?>())
        {
            problem.Extensions[key] = value;
        }

        return problem;
    }
}

public static class Problems
{
    public const string ContentType = "application/problem+json";

    public static ProblemResponse Unauthenticated(string detail) => new(401, "unauthenticated", "Not signed in", detail);

    public static ProblemResponse Forbidden(string code, string detail) => new(403, code, "Not allowed", detail);

    /// <summary>Storage did not answer: a temporary outage the client should retry, not a bug of ours.</summary>
    public static ProblemResponse StorageUnavailable() =>
        new(503, "storage-unavailable", "Temporarily unavailable", "Storage is not answering right now. Try again in a few seconds.")
        {
            RetryAfter = Playbooks.Calling.Storage.StorageOutage.RetryAfter,
        };

    public static ProblemResponse Internal(string traceId) =>
        new(500, "internal-error", "Something went wrong", $"The request failed on our side. Quote trace id {traceId} to support.");

    public static ProblemResponse From(Failure failure)
    {
        var (status, title) = failure.Kind switch
        {
            FailureKind.Invalid => (400, "Invalid request"),
            FailureKind.Forbidden => (403, "Not allowed"),
            FailureKind.NotFound => (404, "Not found"),
            FailureKind.Conflict => (409, "Conflict"),
            FailureKind.PreconditionFailed => (412, "Edit conflict"),
            FailureKind.RateLimited => (429, "Too many requests"),
            _ => (503, "Unavailable"),
        };
        return new ProblemResponse(status, failure.Code, title, failure.Detail)
        {
            Field = failure.Field,
            RetryAfter = failure.RetryAfter,
            Extensions = failure.Extensions,
        };
    }

    /// <summary>The function result for a refusal.</summary>
    public static IActionResult ToActionResult(this Failure failure) => new ProblemActionResult(From(failure));

    /// <summary>200 with the value, or the failure as problem+json.</summary>
    public static IActionResult ToActionResult<T>(this Result<T> result, Func<T, IActionResult>? onSuccess = null) =>
        result.IsSuccess
            ? onSuccess?.Invoke(result.Value!) ?? new OkObjectResult(result.Value)
            : result.Failure!.ToActionResult();
}

/// <summary>Writes a problem straight to the response; needs no MVC services, so middleware can use it too.</summary>
public static class ProblemWriter
{
    public static Task WriteAsync(HttpContext http, ProblemResponse problem)
    {
        if (PlaybooksTelemetry.Refusals.Enabled)
        {
            PlaybooksTelemetry.Refusals.Add(1,
                new KeyValuePair<string, object?>(PlaybooksTelemetry.ProblemCodeTag, problem.Code),
                new KeyValuePair<string, object?>("http.response.status_code", problem.Status));
        }

        http.Response.StatusCode = problem.Status;
        if (problem.RetryAfter is { } retryAfter)
        {
            http.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return http.Response.WriteAsJsonAsync(problem.ToProblemDetails(), PlaybooksJson.Options, Problems.ContentType);
    }
}

public sealed class ProblemActionResult(ProblemResponse problem) : IActionResult
{
    public ProblemResponse Problem => problem;

    public Task ExecuteResultAsync(ActionContext context) => ProblemWriter.WriteAsync(context.HttpContext, problem);
}
