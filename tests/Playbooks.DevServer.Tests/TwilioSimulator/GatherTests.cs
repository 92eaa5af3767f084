using System.Text.Json;
using Microsoft.Extensions.Options;
using Playbooks.Calling.AgentPhones;
using Playbooks.DevServer.TwilioSimulator;
using Twilio.Rest.Api.V2010.Account;
using Twilio.Types;

namespace Playbooks.DevServer.Tests.TwilioSimulator;

/// <summary>&lt;Gather&gt; in the simulator: digits from /sim/calls/{sid}/digits posted, signed, to the action; fall-through on timeout.</summary>
[Collection(SimulatorCollection.Name)]
public sealed class GatherTests(SimulatorServer server)
{
    private const string Fallthrough = "Nothing was entered";

    private readonly SimulatorClient _sim = server.Simulator;

    private async Task<string> CallWithAsync(string gatherAttributes)
    {
        var twiml = $"""
            <Response><Gather {gatherAttributes} action="{server.Webhooks.BaseUrl}{FakeWebhooks.GatherActionPath}?step=1"><Say>Enter your code</Say></Gather><Say>{Fallthrough}</Say></Response>
            """;
        var call = await CallResource.CreateAsync(
            to: new PhoneNumber(PhoneBehaviour.Answers), from: new PhoneNumber(FakeWebhooks.CallerId), twiml: new global::Twilio.Types.Twiml(twiml),
            client: server.RestClient());
        await WaitForEventAsync(call.Sid, "gather");
        return call.Sid;
    }

    private async Task<IReadOnlyList<JsonElement>> WaitForEventAsync(string callSid, string kind)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var events = await _sim.EventsAsync(callSid);
            if (events.Any(e => e.GetProperty("kind").GetString() == kind))
            {
                return events;
            }

            Assert.True(DateTime.UtcNow < deadline, $"no {kind} event for {callSid}");
            await Task.Delay(10);
        }
    }

    private static IEnumerable<string?> Said(IEnumerable<JsonElement> events) =>
        events.Where(e => e.GetProperty("kind").GetString() == "say").Select(e => e.GetProperty("detail").GetString());

    private IReadOnlyList<WebhookHit> ActionHits(string callSid) =>
        server.Webhooks.Hits.Where(h => h.Path == FakeWebhooks.GatherActionPath && h.Form.GetValueOrDefault("CallSid") == callSid).ToList();

    [Fact]
    public async Task Gather_NumDigitsSent_PostsThemSignedToTheActionAndRunsItsTwimlInstead()
    {
        // Arrange
        var callSid = await CallWithAsync("""numDigits="4" timeout="60" """);

        // Act
        (await _sim.SendDigitsAsync(callSid, "1234")).EnsureSuccessStatusCode();
        await _sim.WaitUntilSettledAsync(callSid);

        // Assert
        var hit = Assert.Single(ActionHits(callSid));
        Assert.True(hit.SignatureValid);
        Assert.Equal(("1234", "?step=1", "in-progress"), (hit["Digits"], hit.Query, hit["CallStatus"]));
        Assert.False(hit.Form.ContainsKey("FinishedOnKey"));
        var said = Said(await _sim.EventsAsync(callSid)).ToList();
        Assert.Equal(["Enter your code", FakeWebhooks.GatherActionSays], said);
    }

    [Fact]
    public async Task Gather_FinishOnKeyPressed_PostsTheDigitsBeforeIt()
    {
        // Arrange
        var callSid = await CallWithAsync("""timeout="60" finishOnKey="#" """);

        // Act
        (await _sim.SendDigitsAsync(callSid, "42#9")).EnsureSuccessStatusCode();
        await _sim.WaitUntilSettledAsync(callSid);

        // Assert
        var hit = Assert.Single(ActionHits(callSid));
        Assert.Equal(("42", "#"), (hit["Digits"], hit["FinishedOnKey"]));
    }

    [Fact]
    public async Task Gather_NoDigitsBeforeTheTimeout_FallsThroughToTheNextVerb()
    {
        // Arrange
        var callSid = await CallWithAsync("""numDigits="6" timeout="1" """);

        // Act
        var state = await _sim.WaitUntilSettledAsync(callSid);

        // Assert
        Assert.Equal("completed", state.Status);
        Assert.Empty(ActionHits(callSid));
        var events = await _sim.EventsAsync(callSid);
        Assert.Contains(events, e => e.GetProperty("kind").GetString() == "gather-timeout");
        Assert.Equal(["Enter your code", Fallthrough], Said(events));
    }

    [Fact]
    public void Parse_VerificationTwiml_ReadsTheGatherWithItsNestedSay()
    {
        // Arrange
        var urls = new AgentPhoneVerificationUrls(Options.Create(SimulatorSettings.Twilio("https://calls.example.com")));
        var twiml = new AgentPhoneVerificationTwiml(urls).Ask(new AgentPhoneVerification
        {
            OrgId = "org-1", UserId = "rep-1", Number = "+14155552671", Id = "abc",
        });

        // Act
        var verbs = TwimlParser.Parse(twiml).Verbs!;

        // Assert
        var gather = Assert.IsType<GatherVerb>(verbs[0]);
        Assert.Equal((6, 10.0, "#", "POST"), (gather.NumDigits, gather.TimeoutSeconds, gather.FinishOnKey, gather.Method));
        Assert.Equal("https://calls.example.com/api/twilio/agent-verification/digits?orgId=org-1&userId=rep-1&verificationId=abc", gather.Action);
        Assert.Equal(AgentPhoneVerificationTwiml.Prompt, Assert.IsType<SayVerb>(Assert.Single(gather.Nested)).Text);
        Assert.Equal(["Gather", "Say", "Hangup"], verbs.Select(v => v.Name));
    }

    [Theory]
    [InlineData("""<Response><Gather finishOnKey="ab"/></Response>""")]
    [InlineData("""<Response><Gather numDigits="0"/></Response>""")]
    public void Parse_BadGatherAttributes_IsNotTwiml(string twiml)
    {
        // Act
        var (verbs, error) = TwimlParser.Parse(twiml);

        // Assert
        Assert.Null(verbs);
        Assert.Contains("<Gather", error);
    }
}
