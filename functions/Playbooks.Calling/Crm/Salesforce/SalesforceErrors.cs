using System.Net;
using System.Text.Json;

namespace Playbooks.Calling.Crm.Salesforce;

/// <summary>Salesforce's error bodies: <c>[{"message","errorCode"}]</c> from REST, <c>{"error","error_description"}</c> from OAuth.</summary>
public sealed class SalesforceErrors : ICrmErrorReader
{
    public static readonly SalesforceErrors Instance = new();

    /// <summary>Per-record codes that a later attempt can get past.</summary>
    public static bool IsTransientRecordError(string? statusCode) =>
        statusCode is "UNABLE_TO_LOCK_ROW" or "REQUEST_LIMIT_EXCEEDED" or "SERVER_UNAVAILABLE";

    public (string Message, bool RateLimited) Read(HttpStatusCode status, string body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            var root = json.RootElement;
            if (root.ValueKind == JsonValueKind.Array && root.GetArrayLength() > 0)
            {
                var first = root[0];
                var code = first.TryGetProperty("errorCode", out var c) ? c.GetString() : null;
                var message = first.TryGetProperty("message", out var m) ? m.GetString() : null;
                return ($"{code}: {message}", code == "REQUEST_LIMIT_EXCEEDED");
            }
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("error", out var error))
            {
                var description = root.TryGetProperty("error_description", out var d) ? d.GetString() : null;
                return ($"{error.GetString()}: {description}", false);
            }
        }
        catch (JsonException)
        {
        }
        return (string.IsNullOrWhiteSpace(body) ? status.ToString() : body, false);
    }
}
