using System.Net;
using System.Net.Http.Json;
using System.Xml.Linq;
using Playbooks.DevServer.Tests.Http;
using Playbooks.DevServer.Tests.TwilioSimulator;

namespace Playbooks.DevServer.Tests.EndToEnd;

/// <summary>Calls our service refuses: at the token or call request, and again at the voice webhook.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class RefusedCallTests(EndToEndServer server)
{
    private const string Answers = "+12015550100";

    [Theory]
    [InlineData("rep-sandbox", "org-computer-calling-disabled")]
    [InlineData("rep-phone", "group-forbids-computer")]
    public async Task Token_ComputerCallingNotAllowed_Returns403WithTheReason(string userId, string code)
    {
        // Arrange
        using var rep = await server.SignInAsync(userId);

        // Act
        var response = await LiveDevServer.RequestVoiceTokenAsync(rep);

        // Assert
        await response.ProblemAsync(HttpStatusCode.Forbidden, code);
    }

    [Fact]
    public async Task PhoneCall_GroupForbidsPhone_Returns403AndDialsNobody()
    {
        // Arrange
        using var rep = await server.SignInAsync("rep-computer-only");
        var before = await server.Simulator.EventsAsync();

        // Act
        var response = await rep.PostAsJsonAsync("/api/calls", new { to = Answers });

        // Assert
        await response.ProblemAsync(HttpStatusCode.Forbidden, "group-forbids-phone");
        // Tests of this collection run one at a time, so any new call in the simulator would be this one.
        var lastSeen = before.Count == 0 ? 0 : before[^1].GetProperty("id").GetInt64();
        var after = await server.Simulator.EventsAsync();
        Assert.DoesNotContain(after, e => e.GetProperty("id").GetInt64() > lastSeen && e.GetProperty("kind").GetString() is "rest-request" or "call-created");
    }

    [Fact]
    public async Task VoiceWebhook_ComputerCallingTurnedOffAfterTheToken_SaysWhyHangsUpAndLeavesNoActivity()
    {
        // Arrange: a valid token, then Support switches the org off before the rep dials.
        var org = await CallingOrg.CreateAsync(server);
        using var rep = await org.RepAsync();
        var token = await LiveDevServer.VoiceTokenAsync(rep);
        await org.SetComputerCallingAsync(false);

        // Act
        var callSid = await server.Simulator.ConnectAsync(token, Answers);

        // Assert: our webhook's TwiML says why and hangs up; no prospect leg, no callback, no activity.
        var sim = await server.WaitUntilSettledAsync(callSid);
        Assert.Null(sim.ChildCallSid);
        Assert.Equal("completed", sim.Status);
        var events = await server.Simulator.EventsAsync(callSid);
        var twimlRequest = Assert.Single(events, e => e.GetProperty("kind").GetString() == "twiml-request");
        Assert.Equal(200, twimlRequest.GetProperty("status").GetInt32());
        var twiml = XDocument.Parse(twimlRequest.GetProperty("body").GetString()!).Root!;
        Assert.Equal(["Say", "Hangup"], twiml.Elements().Select(e => e.Name.LocalName));
        Assert.Contains("not enabled", twiml.Element("Say")!.Value, StringComparison.Ordinal);
        Assert.Contains(events, e => e.GetProperty("kind").GetString() == "say");
        Assert.DoesNotContain(events, e => e.GetProperty("kind").GetString() == "callback");
        Assert.Null(await Activities.FindRecentAsync(rep, callSid));
    }
}
