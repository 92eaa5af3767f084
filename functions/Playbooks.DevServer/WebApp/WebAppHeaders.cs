using System.Text.Json;

namespace Playbooks.DevServer.WebApp;

/// <summary>
/// The security headers Azure Static Web Apps adds to the web app (globalHeaders of static-ui's
/// staticwebapp.config.json), read from that same file so the dev server cannot drift from production.
/// </summary>
internal static class WebAppHeaders
{
    public static string ConfigPath(string repoRoot) => Path.Combine(repoRoot, "static-ui", "public", "staticwebapp.config.json");

    public static IReadOnlyDictionary<string, string> Load(string path)
    {
        if (!File.Exists(path))
        {
            return new Dictionary<string, string>();
        }

        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return document.RootElement.TryGetProperty("globalHeaders", out var headers)
            ? headers.EnumerateObject().ToDictionary(h => h.Name, h => h.Value.GetString() ?? "", StringComparer.OrdinalIgnoreCase)
            : new Dictionary<string, string>();
    }
}
