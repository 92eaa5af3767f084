using System.Net;
using System.Text.Json;

namespace Playbooks.Calling.Crm.Dynamics;

/// <summary>Dataverse's <c>{"error":{"code","message"}}</c> and Entra ID's <c>{"error","error_description"}</c>.</summary>
public sealed class DynamicsErrors : ICrmErrorReader
{
    public static readonly DynamicsErrors Instance = new();

    public (string Message, bool RateLimited) Read(HttpStatusCode status, string body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            var root = json.RootElement;
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("error", out var error))
            {
                if (error.ValueKind == JsonValueKind.Object)
                {
                    var code = error.TryGetProperty("code", out var c) ? c.GetString() : null;
                    var message = error.TryGetProperty("message", out var m) ? m.GetString() : null;
                    return (string.IsNullOrEmpty(code) ? message ?? status.ToString() : $"{code}: {message}", false);
                }
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
