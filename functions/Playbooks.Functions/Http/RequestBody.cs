using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Playbooks.Calling;

namespace Playbooks.Functions.Http;

public static class RequestBody
{
    /// <summary>Reads a JSON body, answering malformed or missing bodies with a 400 that says why (the pipeline caps its size).</summary>
    public static async Task<Result<T>> ReadJsonAsync<T>(this HttpRequest request, CancellationToken cancellationToken)
        where T : class
    {
        try
        {
            var value = await JsonSerializer.DeserializeAsync<T>(request.Body, PlaybooksJson.Options, cancellationToken);
            return value is null ? Failure.Invalid("body", "A JSON body is required.", "body-required") : value;
        }
        catch (JsonException ex)
        {
            var field = string.IsNullOrEmpty(ex.Path) || ex.Path == "$" ? "body" : ex.Path.TrimStart('$', '.');
            return Failure.Invalid(field, "The request body is not valid JSON for this request.", "body-malformed");
        }
    }
}
