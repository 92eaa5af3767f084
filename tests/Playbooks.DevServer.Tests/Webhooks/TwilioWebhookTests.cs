using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Xml.Linq;
using Moq;
using Playbooks.Calling.Activity;
using Playbooks.Calling.Calls;
using Playbooks.DevServer.Tests.Calls;
using Twilio.Http;
using CallLeg = Playbooks.Calling.Activity.CallLeg;
using HttpMethod = System.Net.Http.HttpMethod;

namespace Playbooks.DevServer.Tests.Webhooks;

[Collection(DevServerCollection.Name)]
public sealed class TwilioWebhookTests(CallsDevServerFactory server) : IClassFixture<CallsDevServerFactory>
{
    private const string VoicePath = "/api/twilio/voice";
    private const string Prospect = "+12015550123";

    private static string NewCallSid() => "CA" + Guid.NewGuid().ToString("N");

    private static Dictionary<string, string> BrowserCall(string callSid, string orgId = "acme-demo", string userId = "rep-both") => new()
    {
        ["AccountSid"] = "AC00000000000000000000000000000de7",
        ["ApplicationSid"] = "AP00000000000000000000000000000de7",
        ["CallSid"] = callSid,
        ["From"] = "client:" + ClientIdentity.Encode(orgId, userId).Value,
        ["To"] = Prospect,
        ["whoId"] = "003xx",
    };

    private static async Task<XElement> TwimlOf(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/xml", response.Content.Headers.ContentType?.MediaType);
        return XDocument.Parse(await response.Content.ReadAsStringAsync()).Root!;
    }

    private static Dictionary<string, string> StatusForm(string callSid, string parentSid, string status, int sequence) => new()
    {
        ["CallSid"] = callSid,
        ["ParentCallSid"] = parentSid,
        ["CallStatus"] = status,
        ["SequenceNumber"] = sequence.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Timestamp"] = "Fri, 14 Mar 2025 09:00:03 +0000",
    };

    [Fact]
    public async Task Voice_BrowserCallSignedOverThePublicUrl_DialsTheProspectWithTheOrgsSettings()
    {
        // Act
        var twiml = await TwimlOf(await server.PostWebhookAsync(VoicePath, BrowserCall(NewCallSid())));

        // Assert
        var dial = twiml.Element("Dial")!;
        Assert.Equal(CallsDevServerFactory.DemoCallerId, (string?)dial.Attribute("callerId"));
        Assert.Equal("true", (string?)dial.Attribute("answerOnBridge"));
        Assert.Equal("record-from-answer", (string?)dial.Attribute("record"));
        Assert.StartsWith("http://localhost:7071/api/twilio/recording-status?", (string?)dial.Attribute("recordingStatusCallback"));
        Assert.Equal(Prospect, dial.Element("Number")!.Value);
    }

    [Fact]
    public async Task Voice_SignedOverTheAddressBehindTheProxy_Returns403()
    {
        // Arrange: the request reaches the app on the proxy's internal host; Twilio only ever signs the public URL.
        var form = BrowserCall(NewCallSid());
        var signature = CallsDevServerFactory.Sign($"http://{CallsDevServerFactory.InternalHost}{VoicePath}", form);

        // Act
        var response = await server.PostWebhookAsync(VoicePath, form, signature);

        // Assert
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Voice_Unsigned_Returns403WithoutABearerToken()
    {
        // Arrange
        var request = new HttpRequestMessage(HttpMethod.Post, VoicePath) { Content = new FormUrlEncodedContent(BrowserCall(NewCallSid())) };

        // Act
        var response = await server.CreateClient().SendAsync(request);

        // Assert
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("twilio-signature-invalid", problem.GetProperty("code").GetString());
    }

    [Fact]
    public async Task Voice_OrgWithoutComputerCalling_SaysWhyAndHangsUp()
    {
        // Act
        var twiml = await TwimlOf(await server.PostWebhookAsync(VoicePath, BrowserCall(NewCallSid(), "acme-demo-sandbox", "rep-sandbox")));

        // Assert
        Assert.Equal(["Say", "Hangup"], twiml.Elements().Select(e => e.Name.LocalName));
        Assert.Empty(twiml.Descendants("Dial"));
    }

    [Fact]
    public async Task EndCall_OwnBrowserCall_HangsUpTheCallTheVoiceWebhookConnected()
    {
        // Arrange
        var callSid = NewCallSid();
        await TwimlOf(await server.PostWebhookAsync(VoicePath, BrowserCall(callSid)));
        var requests = new List<Request>();
        server.Twilio.Reset();
        server.Twilio.SetupGet(c => c.AccountSid).Returns("AC00000000000000000000000000000de7");
        server.Twilio.Setup(c => c.RequestAsync(It.IsAny<Request>())).Callback<Request>(requests.Add)
            .ReturnsAsync(new Response(HttpStatusCode.OK, $$"""{"sid": "{{callSid}}", "status": "completed"}"""));
        var client = await server.SignedInClientAsync("rep-both");

        // Act
        var response = await client.PostAsync($"/api/calls/{callSid}/end", null);

        // Assert
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.EndsWith($"/Calls/{callSid}.json", Assert.Single(requests).ConstructUrl().AbsolutePath);
    }

    [Fact]
    public async Task Status_SignedCallbackFromTheDialedNumber_IsQueuedAnd204()
    {
        // Arrange: the callback URL exactly as the voice webhook handed it to Twilio.
        var agentSid = NewCallSid();
        var twiml = await TwimlOf(await server.PostWebhookAsync(VoicePath, BrowserCall(agentSid)));
        var statusUrl = new Uri((string)twiml.Element("Dial")!.Element("Number")!.Attribute("statusCallback")!);
        var prospectSid = NewCallSid();

        // Act
        var response = await server.PostWebhookAsync(statusUrl.PathAndQuery, StatusForm(prospectSid, agentSid, "ringing", 1));

        // Assert
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        var message = Assert.Single(server.Events.Messages, m => m.CallSid == prospectSid);
        Assert.Equal(("acme-demo", "rep-both", agentSid, "003xx"), (message.OrgId, message.UserId, message.AgentCallSid, message.CrmWhoId));
        Assert.Equal((CallLeg.Prospect, CallStatus.Ringing), (message.Leg, message.CallStatus));
    }

    [Fact]
    public async Task Status_Unsigned_Returns403AndQueuesNothing()
    {
        // Arrange
        var prospectSid = NewCallSid();
        var form = StatusForm(prospectSid, NewCallSid(), "completed", 3);
        var path = "/api/twilio/status?orgId=acme-demo&userId=rep-both&method=computer";

        // Act
        var response = await server.PostWebhookAsync(path, form, signature: "forged");

        // Assert
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.DoesNotContain(server.Events.Messages, m => m.CallSid == prospectSid);
    }

    [Fact]
    public async Task RecordingStatus_SignedCallback_IsQueuedAnd204()
    {
        // Arrange
        var callSid = NewCallSid();
        var path = "/api/twilio/recording-status?orgId=acme-demo&userId=rep-both&method=computer";
        var form = new Dictionary<string, string>
        {
            ["CallSid"] = callSid, ["RecordingSid"] = "RE01", ["RecordingStatus"] = "completed", ["RecordingDuration"] = "12",
        };

        // Act
        var response = await server.PostWebhookAsync(path, form);

        // Assert
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal("RE01", Assert.Single(server.Events.Messages, m => m.CallSid == callSid).RecordingSid);
    }
}
