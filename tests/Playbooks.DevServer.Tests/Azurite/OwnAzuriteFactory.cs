using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Playbooks.DevServer.Tests.TwilioSimulator;

namespace Playbooks.DevServer.Tests.Azurite;

/// <summary>
/// The dev server with no storage connection string, so it starts and watches an Azurite of its own (as ./run.sh
/// does) on free ports, with its data in a temporary folder, plus any <paramref name="settings"/>.
/// </summary>
internal sealed class OwnAzuriteFactory(IReadOnlyDictionary<string, string?>? settings = null) : DevServerFactory
{
    private readonly int[] _ports = [FakeWebhooks.FreePort(), FakeWebhooks.FreePort(), FakeWebhooks.FreePort()];

    /// <summary>Azurite's data folder (--location).</summary>
    public string DataLocation { get; } = Directory.CreateTempSubdirectory("azurite-watch-").FullName;

    /// <summary>The connection string of the dev server's Azurite.</summary>
    public string ConnectionString => Services.GetRequiredService<IConfiguration>()["Storage:ConnectionString"]!;

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["DevServer:AzuriteBlobPort"] = $"{_ports[0]}",
        ["DevServer:AzuriteQueuePort"] = $"{_ports[1]}",
        ["DevServer:AzuriteTablePort"] = $"{_ports[2]}",
        ["DevServer:AzuriteLocation"] = DataLocation,
        ["DevServer:AzuriteRestartDelay"] = "00:00:01",
    }.Concat(settings ?? new Dictionary<string, string?>()).GroupBy(s => s.Key).ToDictionary(g => g.Key, g => g.Last().Value);

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Directory.Delete(DataLocation, recursive: true);
    }
}
