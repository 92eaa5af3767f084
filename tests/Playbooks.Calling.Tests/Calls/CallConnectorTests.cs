using System.Xml.Linq;
using Azure;
using Microsoft.AspNetCore.WebUtilities;
using Moq;
using Playbooks.Calling.Calls;
using Playbooks.Calling.Orgs;
using Playbooks.Calling.Permissions;
using Playbooks.Calling.Tests.Twilio;
using static Playbooks.Calling.Tests.Calls.CallsHarness;

namespace Playbooks.Calling.Tests.Calls;

public class CallConnectorTests
{
    private const string BrowserCallSid = "CA00000000000000000000000000000001";

    private static readonly string BrowserIdentity = "client:" + ClientIdentity.Encode(OrgId, UserId).Value;

    private static VoiceRequest FromBrowser(string? to = Prospect, string? whoId = null) =>
        new(BrowserCallSid, BrowserIdentity, to, Intent: null, whoId);

    private static XElement Root(VoiceAnswer answer)
    {
        var root = XDocument.Parse(answer.Twiml).Root!;
        Assert.Equal("Response", root.Name.LocalName);
        return root;
    }

    private static XElement DialOf(VoiceAnswer answer)
    {
        Assert.Null(answer.Refusal);
        var dial = Assert.Single(Root(answer).Elements());
        Assert.Equal("Dial", dial.Name.LocalName);
        return dial;
    }

    private static Dictionary<string, string> QueryOf(string url) =>
        QueryHelpers.ParseQuery(new Uri(url).Query).ToDictionary(p => p.Key, p => p.Value.ToString());

    /// <summary>A refusal is spoken in one sentence, then the call hangs up, and nothing is dialed.</summary>
    private static string AssertRefused(VoiceAnswer answer, string code)
    {
        Assert.Equal(code, answer.Refusal?.Code);
        var verbs = Root(answer).Elements().ToList();
        Assert.Equal(["Say", "Hangup"], verbs.Select(v => v.Name.LocalName));
        Assert.DoesNotContain(Root(answer).Descendants(), e => e.Name.LocalName is "Dial" or "Number");
        var sentence = verbs[0].Value;
        Assert.EndsWith(".", sentence);
        Assert.InRange(sentence.Length, 10, 80);
        return sentence;
    }

    private static CallsHarness Allowed(OrgSettings? org = null, CallingMethod method = CallingMethod.Computer) =>
        new CallsHarness().Allowing(method).WithOrg(org ?? Org()).RecordingCalls();


    /// <summary>Every recording mode with every way of setting the caller ID: the org's, the org's over the default, the default.</summary>
    public static TheoryData<RecordingMode, string?, string?, string?, string> OrgSettingsCombinations()
    {
        var data = new TheoryData<RecordingMode, string?, string?, string?, string>();
        var recordings = new (RecordingMode Mode, string? Record)[]
        {
            (RecordingMode.Off, null), (RecordingMode.RecordFromAnswer, "record-from-answer"), (RecordingMode.DualChannel, "record-from-answer-dual"),
        };
        var callerIds = new (string? Org, string? Default, string Expected)[]
        {
            (OrgCallerId, null, OrgCallerId), (OrgCallerId, "+18885550100", OrgCallerId), (null, "+18885550100", "+18885550100"),
        };
        foreach (var (mode, record) in recordings)
        {
            foreach (var (org, fallback, expected) in callerIds)
            {
                data.Add(mode, record, org, fallback, expected);
            }
        }

        return data;
    }

    [Fact]
    public async Task ConnectAsync_OrgCallerIdNoLongerAssigned_RefusesWithoutDialing()
    {
        // Arrange
        var harness = Allowed();
        harness.CallerIds.Setup(c => c.IsAssignedAsync(OrgId, OrgCallerId, It.IsAny<CancellationToken>())).ReturnsAsync(false);

        // Act
        var answer = await harness.Connector().ConnectAsync(FromBrowser(), CancellationToken.None);

        // Assert
        AssertRefused(answer, Playbooks.Calling.CallerIds.CallerIdService.NotAssigned);
        Assert.Empty(harness.Recorded);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ConnectAsync_EitherMethod_LimitsTheDialToTheOrgsMaxCallMinutes(bool fromBrowser)
    {
        // Arrange
        var harness = new CallsHarness()
            .Allowing(fromBrowser ? CallingMethod.Computer : CallingMethod.Phone).WithOrg(Org() with { MaxCallMinutes = 30 }).RecordingCalls();
        var request = fromBrowser
            ? FromBrowser()
            : new VoiceRequest("CAfeedfacefeedfacefeedfacefeedface", OrgCallerId, AgentPhone,
                harness.Intents.Protect(new CallIntentData(OrgId, UserId, Prospect, null, Now)), null) { Confirmed = true };

        // Act
        var dial = DialOf(await harness.Connector().ConnectAsync(request, CancellationToken.None));

        // Assert
        Assert.Equal("1800", (string?)dial.Attribute("timeLimit"));
    }

    [Theory]
    [MemberData(nameof(OrgSettingsCombinations))]
    public async Task ConnectAsync_BrowserCall_DialsTheProspectWithTheOrgsRecordingAndCallerId(
        RecordingMode recording, string? record, string? orgCallerId, string? defaultCallerId, string expectedCallerId)
    {
        // Arrange
        var harness = new CallsHarness(o => o.DefaultCallerId = defaultCallerId)
            .Allowing(CallingMethod.Computer).WithOrg(Org(recording, orgCallerId)).RecordingCalls();

        // Act
        var dial = DialOf(await harness.Connector().ConnectAsync(FromBrowser(), CancellationToken.None));

        // Assert
        Assert.Equal(expectedCallerId, (string?)dial.Attribute("callerId"));
        Assert.Equal("true", (string?)dial.Attribute("answerOnBridge"));
        Assert.Equal(record, (string?)dial.Attribute("record"));
        Assert.Equal(record is not null, dial.Attribute("recordingStatusCallback") is not null);
        var number = Assert.Single(dial.Elements());
        Assert.Equal("Number", number.Name.LocalName);
        Assert.Equal(Prospect, number.Value);
        Assert.Equal("initiated ringing answered completed", (string?)number.Attribute("statusCallbackEvent"));
        Assert.StartsWith(TestTwilioOptions.PublicBaseUrl + CallbackUrls.StatusPath + "?", (string?)number.Attribute("statusCallback"));
    }

    [Fact]
    public async Task ConnectAsync_NoCallerIdAnywhere_RefusesInsteadOfDialing()
    {
        // Arrange
        var harness = new CallsHarness().Allowing(CallingMethod.Computer).WithOrg(Org(callerId: null));

        // Act
        var answer = await harness.Connector().ConnectAsync(FromBrowser(), CancellationToken.None);

        // Assert
        AssertRefused(answer, CallConnector.CallerIdMissing);
        harness.Ledger.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task ConnectAsync_BrowserCall_CallbacksCarryOrgUserMethodAgentCallAndWhoId()
    {
        // Arrange
        var connector = Allowed(Org(RecordingMode.RecordFromAnswer)).Connector();

        // Act
        var dial = DialOf(await connector.ConnectAsync(FromBrowser(whoId: "00Q5e00000ABCdE"), CancellationToken.None));

        // Assert
        var expected = new Dictionary<string, string>
        {
            ["orgId"] = OrgId, ["userId"] = UserId, ["method"] = "computer", ["agentCallSid"] = BrowserCallSid, ["crmWhoId"] = "00Q5e00000ABCdE",
        };
        Assert.Equal(expected, QueryOf((string)dial.Elements().Single().Attribute("statusCallback")!));
        Assert.Equal(expected, QueryOf((string)dial.Attribute("recordingStatusCallback")!));
    }

    [Fact]
    public async Task ConnectAsync_BrowserCallWithMalformedWhoId_DialsWithoutIt()
    {
        // Arrange
        var connector = Allowed().Connector();

        // Act
        var dial = DialOf(await connector.ConnectAsync(FromBrowser(whoId: "x&method=phone"), CancellationToken.None));

        // Assert
        Assert.False(QueryOf((string)dial.Elements().Single().Attribute("statusCallback")!).ContainsKey("crmWhoId"));
    }

    [Fact]
    public async Task ConnectAsync_BrowserCall_RecordsTheCallForItsOwner()
    {
        // Arrange
        var harness = Allowed();

        // Act
        await harness.Connector().ConnectAsync(FromBrowser(to: "+1 (201) 555-0123", whoId: "003xx"), CancellationToken.None);

        // Assert
        var call = Assert.Single(harness.Recorded);
        Assert.Equal(new CallRecord(OrgId, BrowserCallSid, UserId, CallingMethod.Computer, Prospect, Now) { WhoId = "003xx" }, call);
    }

    [Theory]
    [InlineData(CallingPreferencePolicy.OrgComputerCallingDisabled)]
    [InlineData(CallingPreferencePolicy.GroupForbidsComputer)]
    [InlineData(CallingPreferencePolicy.NoPermissionGroup)]
    [InlineData(CallingAccess.UnknownUser)]
    [InlineData(CallingAccess.RoleCannotCall)]
    public async Task ConnectAsync_AccessRefused_SaysWhyAndHangsUp(string reason)
    {
        // Arrange
        var harness = new CallsHarness().Refusing(CallingMethod.Computer, reason);

        // Act
        var answer = await harness.Connector().ConnectAsync(FromBrowser(), CancellationToken.None);

        // Assert
        AssertRefused(answer, reason);
        harness.Ledger.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task ConnectAsync_OrgDisabled_SaysComputerCallingIsNotEnabled()
    {
        // Arrange
        var harness = new CallsHarness().Refusing(CallingMethod.Computer, CallingPreferencePolicy.OrgComputerCallingDisabled);

        // Act
        var sentence = AssertRefused(await harness.Connector().ConnectAsync(FromBrowser(), CancellationToken.None), CallingPreferencePolicy.OrgComputerCallingDisabled);

        // Assert
        Assert.Contains("not enabled", sentence);
    }

    [Theory]
    [InlineData("+19002345678", DestinationPolicy.PremiumRate)]
    [InlineData("+442079460123", DestinationPolicy.CountryNotAllowed)]
    [InlineData("2015550123", DestinationPolicy.Malformed)]
    [InlineData(null, DestinationPolicy.Malformed)]
    [InlineData("+1234567890123456", DestinationPolicy.TooLong)]
    [InlineData("911", DestinationPolicy.NotDialable)]
    public async Task ConnectAsync_DestinationRefused_SaysWhyAndHangsUp(string? to, string code)
    {
        // Arrange
        var harness = new CallsHarness().Allowing(CallingMethod.Computer).WithOrg(Org());

        // Act
        var answer = await harness.Connector().ConnectAsync(FromBrowser(to), CancellationToken.None);

        // Assert
        AssertRefused(answer, code);
        harness.Ledger.VerifyNoOtherCalls();
    }

    [Theory]
    [InlineData("client:not an identity")]
    [InlineData("+14155550100")]
    [InlineData(null)]
    public async Task ConnectAsync_NeitherBrowserNorIntent_RefusesWithoutLookingAnyoneUp(string? from)
    {
        // Arrange
        var harness = new CallsHarness();

        // Act
        var answer = await harness.Connector().ConnectAsync(new VoiceRequest(BrowserCallSid, from, Prospect, null, null), CancellationToken.None);

        // Assert
        AssertRefused(answer, CallConnector.UnknownCaller);
        harness.Access.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task ConnectAsync_AgentLegWithIntent_DialsTheIntendedProspectNotTheFormsTo()
    {
        // Arrange
        var harness = Allowed(method: CallingMethod.Phone);
        var intent = harness.Intents.Protect(new CallIntentData(OrgId, UserId, Prospect, "003xx", Now.AddSeconds(-20)));
        var request = new VoiceRequest("CA00000000000000000000000000000002", "+14155550199", "+19002345678", intent, WhoId: "ignored") { Confirmed = true };

        // Act
        var dial = DialOf(await harness.Connector().ConnectAsync(request, CancellationToken.None));

        // Assert
        var number = dial.Elements().Single();
        Assert.Equal(Prospect, number.Value);
        var query = QueryOf((string)number.Attribute("statusCallback")!);
        Assert.Equal("phone", query["method"]);
        Assert.Equal("CA00000000000000000000000000000002", query["agentCallSid"]);
        Assert.Equal("003xx", query["crmWhoId"]);
    }

    [Fact]
    public async Task ConnectAsync_ForgedIntent_RefusesWithoutLookingAnyoneUp()
    {
        // Arrange
        var harness = new CallsHarness();
        var other = new CallsHarness(o => o.AuthToken = "some-other-auth-token");
        var forged = other.Intents.Protect(new CallIntentData(OrgId, UserId, "+19002345678", null, Now));

        // Act
        var answer = await harness.Connector().ConnectAsync(new VoiceRequest(BrowserCallSid, null, null, forged, null), CancellationToken.None);

        // Assert
        AssertRefused(answer, "intent-invalid");
        harness.Access.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task ConnectAsync_ExpiredIntent_AsksToPlaceTheCallAgain()
    {
        // Arrange
        var harness = new CallsHarness();
        var stale = harness.Intents.Protect(new CallIntentData(OrgId, UserId, Prospect, null, Now - CallIntentProtector.MaxAge - TimeSpan.FromSeconds(1)));

        // Act
        var answer = await harness.Connector().ConnectAsync(new VoiceRequest(BrowserCallSid, null, null, stale, null), CancellationToken.None);

        // Assert
        Assert.Contains("again", AssertRefused(answer, "intent-expired"));
    }

    [Fact]
    public async Task ConnectAsync_AgentLegUserLostPhoneCalling_Refuses()
    {
        // Arrange
        var harness = new CallsHarness().Refusing(CallingMethod.Phone, CallingPreferencePolicy.GroupForbidsPhone);
        var intent = harness.Intents.Protect(new CallIntentData(OrgId, UserId, Prospect, null, Now));

        // Act
        var answer = await harness.Connector().ConnectAsync(
            new VoiceRequest(BrowserCallSid, null, null, intent, null) { Confirmed = true }, CancellationToken.None);

        // Assert
        AssertRefused(answer, CallingPreferencePolicy.GroupForbidsPhone);
    }

    [Fact]
    public async Task ConnectAsync_StorageFails_SaysSoInsteadOfFailingTheWebhook()
    {
        // Arrange
        var harness = new CallsHarness();
        harness.Access.Setup(a => a.CheckAsync(OrgId, UserId, CallingMethod.Computer, It.IsAny<CancellationToken>()))
            .ThrowsAsync(new RequestFailedException(503, "Server busy"));

        // Act
        var answer = await harness.Connector().ConnectAsync(FromBrowser(), CancellationToken.None);

        // Assert
        AssertRefused(answer, CallConnector.StorageUnavailable);
    }

    [Fact]
    public async Task ConnectAsync_LedgerWriteFails_SaysSoAndDialsNobody()
    {
        // Arrange: everything allows the call, but its record cannot be stored, so it could never be ended or dispositioned
        var harness = new CallsHarness().Allowing(CallingMethod.Computer).WithOrg(Org());
        harness.Ledger.Setup(l => l.RecordAsync(It.IsAny<CallRecord>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new RequestFailedException(503, "Server busy"));

        // Act
        var answer = await harness.Connector().ConnectAsync(FromBrowser(), CancellationToken.None);

        // Assert
        AssertRefused(answer, CallConnector.StorageUnavailable);
    }

    [Fact]
    public async Task ConnectAsync_AgentLegAnswered_AsksForTheKeyWithoutDialingOrReadingStorage()
    {
        // Arrange
        var harness = new CallsHarness();
        var intent = harness.Intents.Protect(new CallIntentData(OrgId, UserId, Prospect, null, Now));

        // Act
        var answer = await harness.Connector().ConnectAsync(
            new VoiceRequest("CA00000000000000000000000000000002", OrgCallerId, AgentPhone, intent, null), CancellationToken.None);

        // Assert
        Assert.Null(answer.Refusal);
        var verbs = Root(answer).Elements().ToList();
        Assert.Equal(["Gather", "Gather", "Say", "Hangup"], verbs.Select(v => v.Name.LocalName));
        Assert.DoesNotContain(Root(answer).Descendants(), e => e.Name.LocalName is "Dial" or "Number");
        var action = new Uri((string)verbs[0].Attribute("action")!);
        Assert.Equal(CallbackUrls.AgentConfirmPath, action.AbsolutePath);
        Assert.Equal(intent, QueryOf(action.AbsoluteUri)["intent"]);
        harness.Access.VerifyNoOtherCalls();
        harness.Ledger.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task ConnectAsync_AgentLegWithExpiredIntent_RefusesBeforeAsking()
    {
        // Arrange
        var harness = new CallsHarness();
        var stale = harness.Intents.Protect(new CallIntentData(OrgId, UserId, Prospect, null, Now - CallIntentProtector.MaxAge - TimeSpan.FromSeconds(1)));

        // Act
        var answer = await harness.Connector().ConnectAsync(new VoiceRequest(BrowserCallSid, null, null, stale, null), CancellationToken.None);

        // Assert
        AssertRefused(answer, "intent-expired");
    }
}
