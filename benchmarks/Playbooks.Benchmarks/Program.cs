using Playbooks.Benchmarks;

// dotnet run -c Release --project benchmarks/Playbooks.Benchmarks -- pipeline [--calls 400] [--rate 200]
if (args.Length == 0 || args[0] != "pipeline")
{
    Console.Error.WriteLine("usage: Playbooks.Benchmarks pipeline [--calls N] [--rate EVENTS_PER_SECOND]");
    return 2;
}

var calls = Option(args, "--calls", 400);
var rate = Option(args, "--rate", 200);
await using var azurite = await LocalAzurite.StartAsync();
await new PipelineBenchmark(azurite.ConnectionString, Console.Out).RunAsync(calls, rate);
return 0;

static int Option(string[] args, string name, int fallback)
{
    var at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length && int.TryParse(args[at + 1], out var value) ? value : fallback;
}
