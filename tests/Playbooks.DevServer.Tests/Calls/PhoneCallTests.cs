using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Xml.Linq;
using Microsoft.AspNetCore.WebUtilities;
using Moq;
using Playbooks.Calling.Orgs;
using Twilio.Exceptions;
using Twilio.Http;

namespace Playbooks.DevServer.Tests.Calls;

[Collection(DevServerCollection.Name)]
public sealed class PhoneCallTests : IClassFixture<CallsDevServerFactory>
{
    private const string AccountSid = "AC00000000000000000000000000000de7";
    private const string Prospect = "+12015550123";

    private readonly CallsDevServerFactory _server;
    private readonly List<Request> _requests = [];

    public PhoneCallTests(CallsDevServerFactory server)
    {
        _server = server;
        _server.Twilio.Reset();
        _server.Twilio.SetupGet(c => c.AccountSid).Returns(AccountSid);
    }

    private static string NewCallSid() => "CA" + Guid.NewGuid().ToString("N");

    private static string Value(Request request, string name) =>
        string.Join(" ", request.PostParams.Where(p => p.Key == name).Select(p => p.Value));

    private void TwilioAnswers(HttpStatusCode status, string callSid) =>
        _server.Twilio.Setup(c => c.RequestAsync(It.IsAny<Request>()))
            .Callback<Request>(_requests.Add)
            .ReturnsAsync(new Response(status, $$"""{"sid": "{{callSid}}", "account_sid": "{{AccountSid}}", "status": "queued"}"""));

    private static async Task<JsonElement> JsonOf(HttpResponseMessage response) => await response.Content.ReadFromJsonAsync<JsonElement>();

    [Fact]
    public async Task StartCall_PhoneRep_CallsTheirPhoneWhichAsksForOneThenTheKeyDialsTheProspect()
    {
        // Arrange
        var callSid = NewCallSid();
        TwilioAnswers(HttpStatusCode.Created, callSid);
        var client = await _server.SignedInClientAsync("rep-phone");

        // Act
        var response = await client.PostAsJsonAsync("/api/calls", new { to = Prospect, whoId = "00Q5e00000ABCdE" });

        // Assert: the agent leg rings the rep's phone from the org's caller ID.
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(callSid, (await JsonOf(response)).GetProperty("callSid").GetString());
        var request = Assert.Single(_requests);
        Assert.Equal("+15005550002", Value(request, "To"));
        Assert.Equal(CallsDevServerFactory.DemoCallerId, Value(request, "From"));
        var voiceUrl = new Uri(Value(request, "Url"));
        Assert.Equal("http://localhost:7071/api/twilio/voice", voiceUrl.GetLeftPart(UriPartial.Path));
        Assert.Contains("leg=agent", Value(request, "StatusCallback"));

        // Act: the rep answers; Twilio fetches the voice URL (without the fragment) for the agent leg.
        var form = new Dictionary<string, string>
        {
            ["AccountSid"] = AccountSid, ["CallSid"] = callSid, ["From"] = CallsDevServerFactory.DemoCallerId, ["To"] = "+15005550002",
        };
        var voice = await _server.PostWebhookAsync(voiceUrl.PathAndQuery, form);

        // Assert: it asks the rep to press 1 and dials nobody yet.
        Assert.Equal(HttpStatusCode.OK, voice.StatusCode);
        var prompt = XDocument.Parse(await voice.Content.ReadAsStringAsync()).Root!;
        Assert.Null(prompt.Element("Dial"));
        var action = new Uri((string)prompt.Element("Gather")!.Attribute("action")!);

        // Act: the rep presses 1; Twilio posts the key to the <Gather> action.
        form["Digits"] = "1";
        var confirmed = await _server.PostWebhookAsync(action.PathAndQuery, form);

        // Assert: it dials the prospect, with callbacks naming this agent leg.
        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        var number = XDocument.Parse(await confirmed.Content.ReadAsStringAsync()).Root!.Element("Dial")!.Element("Number")!;
        Assert.Equal(Prospect, number.Value);
        var query = QueryHelpers.ParseQuery(new Uri((string)number.Attribute("statusCallback")!).Query);
        Assert.Equal(("phone", callSid, "00Q5e00000ABCdE"), (query["method"].ToString(), query["agentCallSid"].ToString(), query["crmWhoId"].ToString()));
    }

    [Fact]
    public async Task StartCall_PremiumNumber_Returns400NamingToAndCallsNobody()
    {
        // Arrange
        var client = await _server.SignedInClientAsync("rep-phone");

        // Act
        var response = await client.PostAsJsonAsync("/api/calls", new { to = "+19002345678" });

        // Assert
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await JsonOf(response);
        Assert.Equal(("destination-premium-rate", "to"), (problem.GetProperty("code").GetString(), problem.GetProperty("field").GetString()));
        _server.Twilio.Verify(c => c.RequestAsync(It.IsAny<Request>()), Times.Never);
    }

    [Fact]
    public async Task StartCall_GroupForbidsPhone_Returns403()
    {
        // Arrange
        var client = await _server.SignedInClientAsync("rep-computer-only");

        // Act
        var response = await client.PostAsJsonAsync("/api/calls", new { to = Prospect });

        // Assert
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("group-forbids-phone", (await JsonOf(response)).GetProperty("code").GetString());
    }

    [Fact]
    public async Task StartCall_NoAgentPhone_Returns403()
    {
        // Arrange
        var (orgId, userId) = await _server.CreateOrgWithUserAsync(true, true, true, CallingMethod.Phone, agentPhone: null);
        var client = await _server.SignedInClientAsync(userId, orgId, "Rep");

        // Act
        var response = await client.PostAsJsonAsync("/api/calls", new { to = Prospect });

        // Assert
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("no-agent-phone", (await JsonOf(response)).GetProperty("code").GetString());
    }

    [Fact]
    public async Task EndCall_OwnPhoneCall_HangsItUp()
    {
        // Arrange
        var callSid = NewCallSid();
        TwilioAnswers(HttpStatusCode.Created, callSid);
        var client = await _server.SignedInClientAsync("rep-phone");
        await client.PostAsJsonAsync("/api/calls", new { to = Prospect });
        _requests.Clear();

        // Act
        var response = await client.PostAsync($"/api/calls/{callSid}/end", null);

        // Assert
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True((await JsonOf(response)).GetProperty("ended").GetBoolean());
        var update = Assert.Single(_requests);
        Assert.EndsWith($"/Calls/{callSid}.json", update.ConstructUrl().AbsolutePath);
        Assert.Equal("completed", Value(update, "Status"));
    }

    [Fact]
    public async Task EndCall_CallAlreadyOver_ReportsNotEnded()
    {
        // Arrange
        var callSid = NewCallSid();
        TwilioAnswers(HttpStatusCode.Created, callSid);
        var client = await _server.SignedInClientAsync("rep-phone");
        await client.PostAsJsonAsync("/api/calls", new { to = Prospect });
        _server.Twilio.Setup(c => c.RequestAsync(It.IsAny<Request>())).ThrowsAsync(new ApiException(21220, 400, "Call is not in-progress", ""));

        // Act
        var response = await client.PostAsync($"/api/calls/{callSid}/end", null);

        // Assert
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False((await JsonOf(response)).GetProperty("ended").GetBoolean());
    }

    [Theory]
    [InlineData("rep-both", "acme-demo")]
    [InlineData("rep-phone", "another-org")]
    public async Task EndCall_SomeoneElsesCall_Returns404AndHangsUpNothing(string userId, string orgId)
    {
        // Arrange
        var callSid = NewCallSid();
        TwilioAnswers(HttpStatusCode.Created, callSid);
        await (await _server.SignedInClientAsync("rep-phone")).PostAsJsonAsync("/api/calls", new { to = Prospect });
        _requests.Clear();
        var other = await _server.SignedInClientAsync(userId, orgId, "Rep");

        // Act
        var response = await other.PostAsync($"/api/calls/{callSid}/end", null);

        // Assert
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Empty(_requests);
    }
}
