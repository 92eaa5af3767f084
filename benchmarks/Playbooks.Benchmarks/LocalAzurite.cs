using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Playbooks.Benchmarks;

/// <summary>A fresh in-memory Azurite (the repo's pinned npm package) on free ports, stopped when the run ends.</summary>
internal sealed class LocalAzurite : IAsyncDisposable
{
    private readonly Process process;

    private LocalAzurite(Process process, string connectionString)
    {
        this.process = process;
        ConnectionString = connectionString;
    }

    public string ConnectionString { get; }

    public static async Task<LocalAzurite> StartAsync()
    {
        var script = Path.Combine(RepoRoot(), "node_modules", "azurite", "dist", "src", "azurite.js");
        if (!File.Exists(script)) throw new InvalidOperationException($"{script} is missing; run 'npm ci' at the repo root.");
        int[] ports = [FreePort(), FreePort(), FreePort()];
        var start = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[]
                 {
                     script, "--silent", "--inMemoryPersistence", "--skipApiVersionCheck", "--disableTelemetry",
                     "--blobHost", "127.0.0.1", "--blobPort", $"{ports[0]}", "--queueHost", "127.0.0.1", "--queuePort", $"{ports[1]}",
                     "--tableHost", "127.0.0.1", "--tablePort", $"{ports[2]}",
                 })
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("Azurite did not start.");
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!Listening(ports[1]) || !Listening(ports[2]))
        {
            if (process.HasExited || DateTime.UtcNow > deadline) throw new InvalidOperationException("Azurite did not start listening.");
            await Task.Delay(100);
        }

        return new LocalAzurite(process,
            "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;" +
            "AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;" +
            $"BlobEndpoint=http://127.0.0.1:{ports[0]}/devstoreaccount1;QueueEndpoint=http://127.0.0.1:{ports[1]}/devstoreaccount1;" +
            $"TableEndpoint=http://127.0.0.1:{ports[2]}/devstoreaccount1;");
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "package.json"))) return dir.FullName;
        }

        throw new InvalidOperationException("Run from inside the repository.");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static bool Listening(int port)
    {
        try
        {
            using var client = new TcpClient();
            client.Connect(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
