using Microsoft.AspNetCore.WebUtilities;
using Playbooks.Calling.Calls;
using Playbooks.Calling.Orgs;
using Playbooks.Calling.Tests.Twilio;

namespace Playbooks.Calling.Tests.Calls;

public class CallbackUrlsTests
{
    private static readonly CallbackContext Context = new("org-1", "user-1", CallingMethod.Computer);

    private static CallbackUrls Create(string publicBaseUrl = TestTwilioOptions.PublicBaseUrl) =>
        new(TestTwilioOptions.Wrap(o => o.PublicBaseUrl = publicBaseUrl));

    private static Dictionary<string, string> QueryOf(Uri url) =>
        QueryHelpers.ParseQuery(url.Query).ToDictionary(p => p.Key, p => p.Value.ToString());

    private static Dictionary<string, string> FragmentOf(Uri url) =>
        QueryHelpers.ParseQuery(url.Fragment.TrimStart('#')).ToDictionary(p => p.Key, p => p.Value.ToString());

    [Fact]
    public void Voice_WithoutIntent_IsTheVoicePathOnThePublicBaseUrl()
    {
        // Act
        var url = Create().Voice();

        // Assert
        Assert.Equal("https://calls.playbooks.example/api/twilio/voice", url.GetLeftPart(UriPartial.Path));
        Assert.Empty(url.Query);
    }

    [Fact]
    public void Voice_WithIntent_CarriesItEscaped()
    {
        // Act
        var url = Create().Voice("abc+/=.def");

        // Assert
        Assert.Equal("abc+/=.def", QueryOf(url)["intent"]);
        Assert.Contains("intent=abc%2B%2F%3D.def", url.OriginalString);
    }

    [Fact]
    public void Status_ProspectLeg_CarriesOrgUserAndMethodOnly()
    {
        // Act
        var url = Create().Status(Context);

        // Assert
        Assert.Equal("https://calls.playbooks.example/api/twilio/status", url.GetLeftPart(UriPartial.Path));
        Assert.Equal(
            new Dictionary<string, string> { ["orgId"] = "org-1", ["userId"] = "user-1", ["method"] = "computer" },
            QueryOf(url));
    }

    [Fact]
    public void Status_PhoneCallWithAgentLegAndWhoId_CarriesThem()
    {
        // Arrange
        var context = Context with { Method = CallingMethod.Phone, AgentCallSid = "CA42", WhoId = "00Q5e00000ABCdE" };

        // Act
        var query = QueryOf(Create().Status(context));

        // Assert
        Assert.Equal("phone", query["method"]);
        Assert.Equal("CA42", query["agentCallSid"]);
        Assert.Equal("00Q5e00000ABCdE", query["crmWhoId"]);
        Assert.False(query.ContainsKey("leg"));
    }

    [Fact]
    public void Status_AgentLeg_IsMarkedAsTheAgentLeg()
    {
        // Act
        var query = QueryOf(Create().Status(Context with { Method = CallingMethod.Phone }, CallLeg.Agent));

        // Assert
        Assert.Equal("agent", query["leg"]);
    }

    [Fact]
    public void RecordingStatus_CarriesTheSameContext()
    {
        // Arrange
        var context = Context with { WhoId = "003xx" };

        // Act
        var url = Create().RecordingStatus(context);

        // Assert
        Assert.Equal("https://calls.playbooks.example/api/twilio/recording-status", url.GetLeftPart(UriPartial.Path));
        Assert.Equal("003xx", QueryOf(url)["crmWhoId"]);
        Assert.Equal("org-1", QueryOf(url)["orgId"]);
    }

    [Fact]
    public void Status_ValuesWithReservedCharacters_AreEscapedAndReadBackUnchanged()
    {
        // Arrange
        var context = new CallbackContext("org&x=1", "user #2 +é/?", CallingMethod.Computer) { WhoId = "a%20b" };

        // Act
        var url = Create().Status(context);

        // Assert
        var query = QueryOf(url);
        Assert.Equal("org&x=1", query["orgId"]);
        Assert.Equal("user #2 +é/?", query["userId"]);
        Assert.Equal("a%20b", query["crmWhoId"]);
        Assert.Equal(4, query.Count);
    }

    [Theory]
    [InlineData("https://calls.playbooks.example/", "https://calls.playbooks.example/api/twilio/status")]
    [InlineData("https://gateway.example/calling", "https://gateway.example/calling/api/twilio/status")]
    [InlineData("http://localhost:7071", "http://localhost:7071/api/twilio/status")]
    public void Status_BaseUrlVariants_JoinWithoutDoubleSlashes(string baseUrl, string expected)
    {
        // Act
        var url = Create(baseUrl).Status(Context);

        // Assert
        Assert.Equal(expected, url.GetLeftPart(UriPartial.Path));
    }

    [Fact]
    public void EveryCallbackUrl_AsksForRetriesWithinTwiliosFifteenSecondLimit()
    {
        // Arrange
        var urls = Create();

        // Act
        var all = new[] { urls.Voice(), urls.Voice("i.m"), urls.Status(Context), urls.Status(Context, CallLeg.Agent), urls.RecordingStatus(Context) };

        // Assert
        Assert.All(all, url =>
        {
            var overrides = FragmentOf(url);
            Assert.Equal("3", overrides["rc"]);
            Assert.Equal(["ct", "rt", "5xx"], overrides["rp"].Split(','));
            Assert.InRange(int.Parse(overrides["ct"]), 100, 10_000);
            Assert.InRange(int.Parse(overrides["rt"]), 100, 15_000);
            Assert.InRange(int.Parse(overrides["tt"]), 100, 14_999);
        });
    }
    [Fact]
    public void Status_ProspectLegContext_IsReadBackByTheCallbackParser()
    {
        // Arrange
        var context = new CallbackContext("org-1", "user-1", CallingMethod.Phone) { AgentCallSid = "CA42", WhoId = "003xx" };
        var form = new Dictionary<string, string>
        {
            ["CallSid"] = "CA43", ["ParentCallSid"] = "CA42", ["CallStatus"] = "ringing", ["SequenceNumber"] = "1",
            ["Timestamp"] = "Fri, 14 Mar 2025 09:00:00 +0000",
        };

        // Act
        var message = Playbooks.Calling.Activity.TwilioCallbackParser.ParseStatusCallback(form, QueryOf(Create().Status(context)), DateTimeOffset.UnixEpoch);

        // Assert
        Assert.Equal(("org-1", "user-1", CallingMethod.Phone), (message.Value?.OrgId, message.Value?.UserId, message.Value?.Method));
        Assert.Equal(("CA42", "003xx"), (message.Value?.AgentCallSid, message.Value?.CrmWhoId));
        Assert.Equal(Playbooks.Calling.Activity.CallLeg.Prospect, message.Value?.Leg);
    }

    [Fact]
    public void Status_AgentLegContext_IsReadBackAsTheAgentLeg()
    {
        // Arrange
        var context = new CallbackContext("org-1", "user-1", CallingMethod.Phone);
        var form = new Dictionary<string, string>
        {
            ["CallSid"] = "CA42", ["CallStatus"] = "completed", ["SequenceNumber"] = "3", ["CallDuration"] = "61",
            ["Timestamp"] = "Fri, 14 Mar 2025 09:01:01 +0000",
        };

        // Act
        var message = Playbooks.Calling.Activity.TwilioCallbackParser.ParseStatusCallback(form, QueryOf(Create().Status(context, CallLeg.Agent)), DateTimeOffset.UnixEpoch);

        // Assert
        Assert.Equal(Playbooks.Calling.Activity.CallLeg.Agent, message.Value?.Leg);
        Assert.Equal(61, message.Value?.CallDuration);
    }
}
