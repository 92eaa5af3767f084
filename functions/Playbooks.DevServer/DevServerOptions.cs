namespace Playbooks.DevServer;

/// <summary>Settings of the local host (section "DevServer").</summary>
internal sealed class DevServerOptions
{
    public const string Section = "DevServer";

    /// <summary>The repository root (holds package.json, static-ui and host.json); found by walking up when empty.</summary>
    public string? RepoRoot { get; set; }

    public int AzuriteBlobPort { get; set; } = 10000;

    public int AzuriteQueuePort { get; set; } = 10001;

    public int AzuriteTablePort { get; set; } = 10002;

    /// <summary>Azurite's data folder; the repository's .azurite when empty.</summary>
    public string? AzuriteLocation { get; set; }

    /// <summary>How long after Azurite exits on its own the dev server starts it again.</summary>
    public TimeSpan AzuriteRestartDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Where the web app's files are served from; static-ui/dist when built, else static-ui.</summary>
    public string? StaticUiPath { get; set; }

    /// <summary>Whether start-up seeds the demo org (Development only); false starts from an empty store, e.g. to try Bootstrap settings.</summary>
    public bool SeedDemoOrg { get; set; } = true;

    /// <summary>Development only: count storage round trips made while serving requests, reported at GET /dev/storage-calls (for the load benchmark).</summary>
    public bool CountStorageCalls { get; set; }

    /// <summary>
    /// Development only: the certificate (PEM or DER file) of an Entra ID stand-in at <c>Crm:EntraAuthorityHost</c>;
    /// Dynamics token requests then trust that certificate alone.
    /// </summary>
    public string? EntraAuthorityCertificate { get; set; }

    public static string FindRepoRoot(string? configured)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return Path.GetFullPath(configured);
        }

        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Playbooks.Functions.sln")))
                {
                    return dir.FullName;
                }
            }
        }

        throw new InvalidOperationException("Cannot find the repository root (Playbooks.Functions.sln); set DevServer:RepoRoot.");
    }
}
