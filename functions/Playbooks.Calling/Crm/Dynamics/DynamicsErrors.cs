using System.Net;
using System.Text.Json;

namespace Playbooks.Calling.Crm.Dynamics;

/// <summary>Dataverse's <c>{"error":{"code","message"}}</c> and Entra ID's <c>{"error","error_description"}</c>.</summary>
public sealed class DynamicsErrors : ICrmErrorReader
{
    public static readonly DynamicsErrors Instance = new();

    /// <summary>The Dataverse <c>error.code</c> or the OAuth <c>error</c>; messages are left to the log.</summary>
    public (string? Code, bool RateLimited) Read(HttpStatusCode status, string body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            var root = json.RootElement;
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("error", out var error))
            {
                if (error.ValueKind == JsonValueKind.Object)
                {
                    var code = error.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
                    return (string.IsNullOrEmpty(code) ? null : code, false);
                }
                if (error.ValueKind == JsonValueKind.String)
                {
                    return (error.GetString(), false);
                }
            }
        }
        catch (JsonException)
        {
        }
        return (null, false);
    }
}
