using System.Diagnostics;
using System.Net.Sockets;

namespace Playbooks.DevServer.Azurite;

/// <summary>
/// Runs the repo's pinned Azurite (npm azurite@3.35.0) for as long as the dev server runs,
/// when no storage connection string is configured. Its data lives in the git-ignored .azurite folder (or
/// <paramref name="location"/>), or only in memory when <paramref name="inMemory"/> is set (the pipeline benchmark).
/// If Azurite exits on its own, it is started again on the same ports over the same data, and the exit is logged.
/// </summary>
internal sealed class AzuriteProcess(
    string repoRoot,
    int blobPort,
    int queuePort,
    int tablePort,
    ILogger<AzuriteProcess> logger,
    bool inMemory = false,
    string? location = null,
    TimeSpan? restartDelay = null,
    Action? exited = null)
    : IHostedService, IDisposable
{
    private static readonly TimeSpan MaxRestartDelay = TimeSpan.FromSeconds(30);

    private readonly CancellationTokenSource _stopping = new();
    private readonly string _data = location is { Length: > 0 } ? Path.GetFullPath(location) : Path.Combine(repoRoot, ".azurite");
    private Process? _process;
    private volatile bool _listening;

    public static string ConnectionStringFor(int blobPort, int queuePort, int tablePort) =>
        "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;" +
        "AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;" +
        $"BlobEndpoint=http://127.0.0.1:{blobPort}/devstoreaccount1;" +
        $"QueueEndpoint=http://127.0.0.1:{queuePort}/devstoreaccount1;" +
        $"TableEndpoint=http://127.0.0.1:{tablePort}/devstoreaccount1;";

    /// <summary>True while Azurite runs and listens; false from its exit until a restart listens again.</summary>
    public bool IsRunning => _listening && _process is { HasExited: false };

    /// <summary>The running Azurite's process id (for tests that take it away).</summary>
    public int? ProcessId => _process is { HasExited: false } p ? p.Id : null;

    /// <summary>How many times Azurite was started again after exiting on its own.</summary>
    public int Restarts { get; private set; }

    public Task StartAsync(CancellationToken cancellationToken) => LaunchAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Stop();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        Stop();
        _stopping.Dispose();
    }

    private async Task LaunchAsync(CancellationToken cancellationToken)
    {
        var script = Path.Combine(repoRoot, "node_modules", "azurite", "dist", "src", "azurite.js");
        if (!File.Exists(script))
        {
            throw new InvalidOperationException($"Azurite is not installed ({script} is missing). Run 'npm ci' in {repoRoot}, or ./run.sh which does.");
        }

        string[] persistence = inMemory ? ["--inMemoryPersistence"] : ["--location", _data];
        if (!inMemory)
        {
            Directory.CreateDirectory(_data);
        }

        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = repoRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        string[] arguments =
        [
            script, "--silent", "--skipApiVersionCheck", "--disableTelemetry", .. persistence,
            "--blobHost", "127.0.0.1", "--blobPort", $"{blobPort}",
            "--queueHost", "127.0.0.1", "--queuePort", $"{queuePort}",
            "--tableHost", "127.0.0.1", "--tablePort", $"{tablePort}",
        ];
        foreach (var arg in arguments)
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("Azurite did not start.");
        process.EnableRaisingEvents = true;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) logger.LogDebug("azurite: {Line}", e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) logger.LogWarning("azurite: {Line}", e.Data); };
        process.Exited += (_, _) => OnExited(process);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var previous = Interlocked.Exchange(ref _process, process);
        previous?.Dispose();
        if (Restarts == 0)
        {
            AppDomain.CurrentDomain.ProcessExit += (_, _) => Stop();
        }

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await IsListeningAsync(tablePort, cancellationToken) || !await IsListeningAsync(queuePort, cancellationToken))
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"Azurite exited with code {process.ExitCode}; are ports {blobPort}-{tablePort} already in use?");
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("Azurite did not start listening within 30 s.");
            }

            await Task.Delay(100, cancellationToken);
        }

        _listening = true;
        logger.LogInformation("Azurite is running (tables on port {Port}, data in {Data})", tablePort, inMemory ? "memory" : _data);
    }

    private void OnExited(Process process)
    {
        if (_stopping.IsCancellationRequested || !ReferenceEquals(process, _process))
        {
            return;
        }

        _listening = false;
        var code = process.ExitCode;
        logger.LogWarning(
            "Azurite exited on its own with code {Code}{Signal}; storage is unavailable until it is restarted on the same ports over {Data}",
            code, code > 128 ? $" (signal {code - 128})" : "", inMemory ? "an empty in-memory store" : _data);
        exited?.Invoke();
        _ = RestartAsync();
    }

    private async Task RestartAsync()
    {
        var delay = restartDelay ?? TimeSpan.FromSeconds(1);
        while (!_stopping.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(delay, _stopping.Token);
                Restarts++;
                await LaunchAsync(_stopping.Token);
                logger.LogInformation("Azurite restarted after it exited (restart {Count})", Restarts);
                return;
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is InvalidOperationException or TimeoutException or System.ComponentModel.Win32Exception)
            {
                logger.LogError(ex, "Restarting Azurite failed; trying again in {Delay}", delay * 2);
                delay = delay * 2 < MaxRestartDelay ? delay * 2 : MaxRestartDelay;
            }
        }
    }

    private void Stop()
    {
        if (!_stopping.IsCancellationRequested)
        {
            try
            {
                _stopping.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // Disposed already: nothing left to stop.
            }
        }

        var process = Interlocked.Exchange(ref _process, null);
        if (process is null)
        {
            return;
        }

        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        process.Dispose();
    }

    private static async Task<bool> IsListeningAsync(int port, CancellationToken cancellationToken)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync("127.0.0.1", port, cancellationToken);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
