using System.Net;

namespace Playbooks.DevServer.Tests.TwilioSimulator;

public sealed class SimulatorModeTests
{
    [Fact]
    public async Task SimRoutes_TelephonyModeTwilio_AreAbsent()
    {
        await using var server = new RealTwilioServer();
        var client = server.CreateClient();

        var events = await client.GetAsync("/sim/events");
        var connect = await client.PostAsync("/sim/calls", new StringContent("{}"));
        var rest = await client.PostAsync($"/sim/2010-04-01/Accounts/{SimulatorSettings.AccountSid}/Calls.json", new FormUrlEncodedContent([]));

        Assert.Equal((HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.NotFound), (events.StatusCode, connect.StatusCode, rest.StatusCode));
    }

    [Fact]
    public async Task SimRoutes_TelephonyModeSimulated_ArePresent()
    {
        await using var server = new DevServerFactory();

        var events = await server.CreateClient().GetAsync("/sim/events");

        Assert.Equal(HttpStatusCode.OK, events.StatusCode);
    }

    /// <summary>Development, but with real Twilio settings: telephony goes to Twilio, and there is no simulator.</summary>
    private sealed class RealTwilioServer : DevServerFactory
    {
        protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>(base.Settings)
        {
            ["Telephony:Mode"] = "twilio",
            ["Twilio:PublicBaseUrl"] = "https://calling.example.com",
            ["Twilio:RestApiBaseUrl"] = "",
        };
    }
}
