using Microsoft.Extensions.Options;
using Playbooks.Calling.Calls;
using Playbooks.Calling.Twilio;
using Twilio.Clients;

namespace Playbooks.DevServer.Tests.TwilioSimulator;

/// <summary>
/// The dev server in-process with the simulator at a test time scale, calling <see cref="FakeWebhooks"/> as our
/// public base URL. The Twilio library reaches the REST emulation through the in-memory server.
/// </summary>
public sealed class SimulatorServer : DevServerFactory, IAsyncLifetime
{
    /// <summary>RestApiBaseUrl as the in-memory server's client sees it.</summary>
    public const string RestApiBaseUrl = "http://localhost/sim";

    public FakeWebhooks Webhooks { get; private set; } = null!;

    public SimulatorClient Simulator => new(CreateClient());

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>(base.Settings)
    {
        ["Twilio:PublicBaseUrl"] = Webhooks.BaseUrl,
        ["Twilio:RestApiBaseUrl"] = RestApiBaseUrl,
        ["Telephony:Mode"] = "simulated",
        ["Simulator:TimeScale"] = SimulatorSettings.TestTimeScale,
    };

    /// <summary>A Voice access token as POST /api/calls/token mints it, for a demo user.</summary>
    public string VoiceToken(string orgId = "acme-demo", string userId = "rep-both") =>
        new VoiceTokenIssuer(Options.Create(SimulatorSettings.Twilio(Webhooks.BaseUrl))).Issue(orgId, userId, DateTimeOffset.UtcNow).Value!.Token;

    /// <summary>Our production REST client (API key auth, RestApiBaseUrl rewrite), over the in-memory server.</summary>
    public ITwilioRestClient RestClient(Action<TwilioOptions>? change = null)
    {
        var options = SimulatorSettings.Twilio(Webhooks.BaseUrl, RestApiBaseUrl);
        change?.Invoke(options);
        return TwilioServiceCollectionExtensions.CreateRestClient(options, Server.CreateHandler());
    }

    public async Task InitializeAsync() => Webhooks = await FakeWebhooks.StartAsync();

    async Task IAsyncLifetime.DisposeAsync()
    {
        await base.DisposeAsync();
        await Webhooks.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class SimulatorCollection : ICollectionFixture<SimulatorServer>
{
    public const string Name = "twilio simulator";
}
