using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Playbooks.DevServer.Tests.Faults;

/// <summary>
/// The dev server as an operating-system process of its own (the build these tests were built with, as ./run.sh starts
/// it), so a test can take it away as a crash, an OOM killer or a pulled plug would: SIGKILL, no shutdown code run.
/// The in-process <see cref="DevServerFactory"/> cannot be killed without killing the test run.
/// </summary>
internal sealed class DevServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _log = new();

    private DevServerProcess(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    /// <summary>Its own URL, which is also its Twilio:PublicBaseUrl (what webhooks are signed for).</summary>
    public string BaseUrl => $"http://127.0.0.1:{Port}";

    public int ProcessId => _process.Id;

    /// <summary>
    /// Starts the dev server on <paramref name="port"/> in Development (dev sign-in, simulated telephony) with the given
    /// settings (configuration keys, e.g. <c>Storage:ConnectionString</c>), without the demo org.
    /// </summary>
    public static DevServerProcess Start(int port, IReadOnlyDictionary<string, string> settings)
    {
        var repoRoot = DevServerOptions.FindRepoRoot(null);
        // bin/<Configuration>/net10.0/ of the test assembly names the configuration the dev server was built in beside it.
        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
        var project = Path.Combine(repoRoot, "functions", "Playbooks.DevServer");
        var dll = Path.Combine(project, "bin", configuration, "net10.0", "Playbooks.DevServer.dll");
        if (!File.Exists(dll))
        {
            throw new InvalidOperationException($"{dll} is missing: build the dev server (building this test project does).");
        }

        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = project, // the content root, as ./run.sh runs it: appsettings.Development.json
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(dll);
        var baseUrl = $"http://127.0.0.1:{port}";
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["DOTNET_ENVIRONMENT"] = "Development",
            ["ASPNETCORE_URLS"] = baseUrl,
            ["DevServer:RepoRoot"] = repoRoot,
            ["DevServer:SeedDemoOrg"] = "false",
            ["Twilio:PublicBaseUrl"] = baseUrl,
            ["Twilio:RestApiBaseUrl"] = baseUrl + "/sim",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (name, value) in settings)
        {
            environment[name] = value;
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("The dev server did not start.");
        var server = new DevServerProcess(process, port);
        process.OutputDataReceived += (_, e) => server.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => server.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return server;
    }

    /// <summary>A plain client of its port.</summary>
    public HttpClient Client() => new() { BaseAddress = new Uri(BaseUrl), Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>A client signed in through the dev sign-in (POST /dev/token) as any identity.</summary>
    public async Task<HttpClient> SignInAsync(string userId, string orgId, params string[] roles)
    {
        var client = Client();
        using var response = await client.PostAsJsonAsync("/dev/token", new { userId, orgId, roles });
        response.EnsureSuccessStatusCode();
        var token = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>Waits until GET /api/health answers 200; throws with the server's last log lines if it exits or never does.</summary>
    public async Task WaitUntilHealthyAsync(TimeSpan timeout)
    {
        using var client = Client();
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The dev server exited with {_process.ExitCode}:\n{RecentLog}");
            }

            try
            {
                using var response = await client.GetAsync("/api/health");
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"The dev server did not answer /api/health with 200 within {timeout}:\n{RecentLog}");
    }

    /// <summary>SIGKILL: the process ends at once, mid-request and mid-write, with no shutdown code run.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: false);
        await _process.WaitForExitAsync();
    }

    /// <summary>The server's last output lines, for a failure message.</summary>
    public string RecentLog => string.Join('\n', _log);

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is null) return;
        _log.Enqueue(line);
        while (_log.Count > 40 && _log.TryDequeue(out _))
        {
        }
    }
}
