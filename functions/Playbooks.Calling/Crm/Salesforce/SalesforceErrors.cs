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

    /// <summary>The <c>errorCode</c> (REST) or <c>error</c> (OAuth); the message and description are left to the log.</summary>
    public (string? Code, bool RateLimited) Read(HttpStatusCode status, string body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            var root = json.RootElement;
            if (root.ValueKind == JsonValueKind.Array && root.GetArrayLength() > 0 && root[0].ValueKind == JsonValueKind.Object)
            {
                var code = root[0].TryGetProperty("errorCode", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
                return (code, code == "REQUEST_LIMIT_EXCEEDED");
            }
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.String)
            {
                return (error.GetString(), false);
            }
        }
        catch (JsonException)
        {
        }
        return (null, false);
    }
}
