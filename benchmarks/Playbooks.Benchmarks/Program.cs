using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using Playbooks.Benchmarks;
using Playbooks.DevServer;
using Playbooks.DevServer.Azurite;

// dotnet run -c Release --project benchmarks/Playbooks.Benchmarks -- pipeline [--calls 400] [--rate 200]
if (args.Length == 0 || args[0] != "pipeline")
{
    Console.Error.WriteLine("usage: Playbooks.Benchmarks pipeline [--calls N] [--rate EVENTS_PER_SECOND]");
    return 2;
}

var calls = Option(args, "--calls", 400);
var rate = Option(args, "--rate", 200);
int[] ports = [FreePort(), FreePort(), FreePort()];
using var azurite = new AzuriteProcess(
    DevServerOptions.FindRepoRoot(null), ports[0], ports[1], ports[2], NullLogger<AzuriteProcess>.Instance, inMemory: true);
await azurite.StartAsync(CancellationToken.None);
await new PipelineBenchmark(AzuriteProcess.ConnectionStringFor(ports[0], ports[1], ports[2]), Console.Out).RunAsync(calls, rate);
return 0;

static int FreePort()
{
    using var listener = new TcpListener(IPAddress.Loopback, 0);
    listener.Start();
    return ((IPEndPoint)listener.LocalEndpoint).Port;
}

static int Option(string[] args, string name, int fallback)
{
    var at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length && int.TryParse(args[at + 1], out var value) ? value : fallback;
}
