using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Playbooks.Calling.Twilio;
using Twilio.Clients;

namespace Playbooks.DevServer.Tests.TwilioSimulator;

/// <summary>
/// The whole dev server on a real Kestrel port, so the simulator calls our own webhooks over the network exactly
/// as Twilio would: Twilio:PublicBaseUrl is this server and Twilio:RestApiBaseUrl its /sim. Storage is the Azurite
/// of PLAYBOOKS_TEST_STORAGE (<c>source scripts/azurite.sh &amp;&amp; start_azurite</c>). For end-to-end tests:
/// sign in, get a voice token, connect through the simulated Device, and wait for the call to settle. Subclass it
/// to add settings (override <see cref="Settings"/> and start from the base's).
/// </summary>
public class LiveDevServer : DevServerFactory, IAsyncLifetime
{
    public LiveDevServer()
    {
        Port = FakeWebhooks.FreePort();
        UseKestrel(Port);
    }

    public int Port { get; }

    public string BaseUrl => $"http://localhost:{Port}";

    /// <summary>The simulated Device and the simulator's API, over the real port.</summary>
    public SimulatorClient Simulator => new(Client());

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>(base.Settings)
    {
        ["urls"] = BaseUrl,
        ["Telephony:Mode"] = "simulated",
        ["Twilio:PublicBaseUrl"] = BaseUrl,
        ["Twilio:RestApiBaseUrl"] = BaseUrl + "/sim",
        ["Simulator:TimeScale"] = SimulatorSettings.TestTimeScale,
    };

    public Task InitializeAsync()
    {
        StartServer();
        return Task.CompletedTask;
    }

    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();

    /// <summary>A plain client of the real port (no sign-in).</summary>
    public HttpClient Client() => new() { BaseAddress = new Uri(BaseUrl) };

    /// <summary>A client of the real port signed in as a seeded demo user (POST /dev/token).</summary>
    public async Task<HttpClient> SignInAsync(string userId)
    {
        var client = Client();
        var response = await client.PostAsJsonAsync("/dev/token", new { userId });
        response.EnsureSuccessStatusCode();
        var token = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>POST /api/calls/token as the signed-in user; the response, so a refusal can be asserted too.</summary>
    public static Task<HttpResponseMessage> RequestVoiceTokenAsync(HttpClient signedIn) => signedIn.PostAsync("/api/calls/token", null);

    /// <summary>The voice access token of the signed-in user (POST /api/calls/token must succeed).</summary>
    public static async Task<string> VoiceTokenAsync(HttpClient signedIn)
    {
        var response = await RequestVoiceTokenAsync(signedIn);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"POST /api/calls/token answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }

        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
    }

    /// <summary>Signs in, gets a voice token and connects the simulated Device to <paramref name="to"/>; the parent call SID.</summary>
    public async Task<string> ConnectAsUserAsync(string userId, string to, IReadOnlyDictionary<string, string>? parameters = null)
    {
        using var signedIn = await SignInAsync(userId);
        return await Simulator.ConnectAsync(await VoiceTokenAsync(signedIn), to, parameters);
    }

    public Task<SimCallState> WaitForCallAsync(string callSid, Func<SimCallState, bool> until, TimeSpan? timeout = null) =>
        Simulator.WaitForCallAsync(callSid, until, timeout);

    /// <summary>Both legs ended and every callback answered by our webhooks.</summary>
    public Task<SimCallState> WaitUntilSettledAsync(string callSid, TimeSpan? timeout = null) =>
        Simulator.WaitUntilSettledAsync(callSid, timeout);

    /// <summary>Our REST client (API key, RestApiBaseUrl) talking to this server's simulator over the network.</summary>
    public ITwilioRestClient RestClient() =>
        TwilioServiceCollectionExtensions.CreateRestClient(SimulatorSettings.Twilio(BaseUrl, BaseUrl + "/sim"));
}

[CollectionDefinition(Name)]
public sealed class LiveDevServerCollection : ICollectionFixture<LiveDevServer>
{
    public const string Name = "live dev server";
}
