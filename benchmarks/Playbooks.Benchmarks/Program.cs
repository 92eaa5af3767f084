using Microsoft.Extensions.Logging.Abstractions;
using Playbooks.Benchmarks;
using Playbooks.DevServer;
using Playbooks.DevServer.Azurite;

// dotnet run -c Release --project benchmarks/Playbooks.Benchmarks -- pipeline [--calls 400] [--rate 200] [--order arrival|shuffled]
//     [--concurrent-calls 50] [--batch N] [--parallelism N] [--idle-poll MS] [--connections 32] [--seconds 5]
//     [--pack-size 64] [--sends-in-flight 4]
// dotnet run -c Release --project benchmarks/Playbooks.Benchmarks -- load [--seconds 10] [--connections 32] [--threads 2]
//     [--reps 1000] [--server REPO_ROOT] [--no-build] [--set Name=Value ...]
// dotnet run -c Release --project benchmarks/Playbooks.Benchmarks -- mixed [--rate 200] [--seconds 60] [--reps 100] [--server REPO_ROOT] [--no-build]
// dotnet run -c Release --project benchmarks/Playbooks.Benchmarks -- ledger [--connections 32] [--seconds 5]
// dotnet run -c Release --project benchmarks/Playbooks.Benchmarks -- mint
const string Usage = """
    usage: Playbooks.Benchmarks pipeline [--calls N] [--rate EVENTS_PER_SECOND] [--order arrival|shuffled] [--concurrent-calls 50]
                                         [--batch N] [--parallelism N] [--idle-poll MS] [--connections 32] [--seconds 5]
                                         [--pack-size 64] [--sends-in-flight 4]
           Playbooks.Benchmarks load [--seconds 10] [--connections 32] [--threads 2] [--reps 1000] [--server REPO_ROOT] [--no-build] [--set Name=Value ...]
           Playbooks.Benchmarks mixed [--rate 200] [--seconds 60] [--reps 100] [--server REPO_ROOT] [--no-build]
           Playbooks.Benchmarks ledger [--connections 32] [--seconds 5]
           Playbooks.Benchmarks mint
    """;
if (args.Length == 1 && args[0] == "mint")
{
    return new TokenMintBenchmark(Console.Out).Run();
}

if (args.Length == 0 || args[0] is not ("pipeline" or "load" or "mixed" or "ledger"))
{
    Console.Error.WriteLine(Usage);
    return 2;
}

var repoRoot = DevServerOptions.FindRepoRoot(null);
int[] ports = [BenchmarkServer.FreePort(), BenchmarkServer.FreePort(), BenchmarkServer.FreePort()];
// The mixed mode runs Azurite as the dev server does, with its data on disk: in memory, Azurite's queue service sweeps
// the extents of deleted messages every 60 s in one pass that held its event loop for 25 s after 4,000 messages.
var onDisk = args.Length > 0 && args[0] == "mixed";
var azuriteData = onDisk ? Directory.CreateTempSubdirectory("playbooks-mixed-azurite-").FullName : null;
using var azurite = new AzuriteProcess(repoRoot, ports[0], ports[1], ports[2], NullLogger<AzuriteProcess>.Instance, inMemory: !onDisk, location: azuriteData);
await azurite.StartAsync(CancellationToken.None);
var connectionString = AzuriteProcess.ConnectionStringFor(ports[0], ports[1], ports[2]);

if (args[0] == "ledger")
{
    return await new LedgerBenchmark(connectionString, Console.Out).RunAsync(Option(args, "--connections", 32), Option(args, "--seconds", 5));
}

if (args[0] == "pipeline")
{
    return await new PipelineBenchmark(connectionString, Console.Out).RunAsync(PipelineSettings.Parse(args));
}

var serverRoot = Path.GetFullPath(Text(args, "--server") ?? repoRoot);
if (args[0] == "mixed")
{
    var mixed = new MixedSettings(serverRoot, Option(args, "--rate", 200), Option(args, "--seconds", 60), Option(args, "--reps", 100), !args.Contains("--no-build"));
    try
    {
        return await new MixedBenchmark(mixed, connectionString, Console.Out).RunAsync();
    }
    finally
    {
        azurite.Dispose();
        Directory.Delete(azuriteData!, recursive: true);
    }
}

var serverEnvironment = new Dictionary<string, string>();
for (var i = 0; i < args.Length - 1; i++)
{
    if (args[i] == "--set" && args[i + 1].Split('=', 2) is [{ Length: > 0 } name, var value])
    {
        serverEnvironment[name] = value;
    }
}

var settings = new LoadSettings(serverRoot, Option(args, "--seconds", 10), Option(args, "--connections", 32), Option(args, "--threads", 2),
    Option(args, "--reps", 1000), !args.Contains("--no-build"), serverEnvironment, azurite.ProcessId);
return await new LoadBenchmark(settings, connectionString, Console.Out).RunAsync();

static int Option(string[] args, string name, int fallback)
{
    var at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length && int.TryParse(args[at + 1], out var value) ? value : fallback;
}

static string? Text(string[] args, string name)
{
    var at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
}
