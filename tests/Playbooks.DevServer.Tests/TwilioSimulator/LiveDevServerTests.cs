using System.Net;
using Twilio.Rest.Api.V2010.Account;
using Twilio.Types;

namespace Playbooks.DevServer.Tests.TwilioSimulator;

[Collection(LiveDevServerCollection.Name)]
public sealed class LiveDevServerTests(LiveDevServer server)
{
    [Fact]
    public async Task SignIn_OnTheRealPort_CallsTheApiWithABearerToken()
    {
        using var client = await server.SignInAsync("rep-both");

        var me = await client.GetAsync("/api/me");

        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
    }

    [Fact]
    public async Task RestCall_OnTheRealPort_SimulatorRequestsOurOwnVoiceWebhook()
    {
        var call = await CallResource.CreateAsync(
            to: new PhoneNumber("+15005550002"), from: new PhoneNumber("+15005550006"), url: new Uri(server.BaseUrl + "/api/twilio/voice"),
            client: server.RestClient());

        await server.WaitUntilSettledAsync(call.Sid);
        var events = await server.Simulator.EventsAsync(call.Sid);

        var voice = Assert.Single(events, e => e.GetProperty("kind").GetString() == "twiml-request");
        Assert.Equal(server.BaseUrl + "/api/twilio/voice", voice.GetProperty("url").GetString());
        Assert.True(voice.TryGetProperty("status", out _), "our server answered the simulator's request");
    }
}
