using System.Xml.Linq;
using Microsoft.AspNetCore.WebUtilities;
using Playbooks.Calling.Calls;
using Playbooks.Calling.Orgs;
using Playbooks.Calling.Tests.Twilio;

namespace Playbooks.Calling.Tests.Calls;

public class TwimlBuilderTests
{
    private static readonly TwimlBuilder Builder = new(new CallbackUrls(TestTwilioOptions.Wrap()));

    private static DialPlan Plan(RecordingMode recording, CallbackContext? callback = null) => new(
        ProspectNumber: "+12015550123",
        CallerId: "+14155550199",
        Recording: recording,
        Callback: callback ?? new CallbackContext("org-1", "user-1", CallingMethod.Computer));

    private static XElement DialOf(string twiml)
    {
        var response = XDocument.Parse(twiml).Root!;
        Assert.Equal("Response", response.Name.LocalName);
        return Assert.Single(response.Elements());
    }

    private static Dictionary<string, string> QueryOf(string url) =>
        QueryHelpers.ParseQuery(new Uri(url).Query).ToDictionary(p => p.Key, p => p.Value.ToString());

    [Theory]
    [InlineData(RecordingMode.Off)]
    [InlineData(RecordingMode.RecordFromAnswer)]
    [InlineData(RecordingMode.DualChannel)]
    public void Dial_AnyRecordingMode_DialsTheProspectWithTheCallerIdAndAnswerOnBridge(RecordingMode recording)
    {
        // Act
        var dial = DialOf(Builder.Dial(Plan(recording)));

        // Assert
        Assert.Equal("Dial", dial.Name.LocalName);
        Assert.Equal("+14155550199", (string?)dial.Attribute("callerId"));
        Assert.Equal("true", (string?)dial.Attribute("answerOnBridge"));
        var number = Assert.Single(dial.Elements());
        Assert.Equal("Number", number.Name.LocalName);
        Assert.Equal("+12015550123", number.Value);
    }

    [Theory]
    [InlineData(RecordingMode.Off)]
    [InlineData(RecordingMode.DualChannel)]
    public void Dial_NoLimitGiven_EndsTheCallAfterTheDefaultTwoHours(RecordingMode recording)
    {
        // Act
        var dial = DialOf(Builder.Dial(Plan(recording)));

        // Assert
        Assert.Equal("7200", (string?)dial.Attribute("timeLimit"));
    }

    [Theory]
    [InlineData(RecordingMode.Off, 1, "60")]
    [InlineData(RecordingMode.RecordFromAnswer, 45, "2700")]
    [InlineData(RecordingMode.DualChannel, 240, "14400")]
    public void Dial_OrgsMaxCallMinutes_IsTheDialsTimeLimitInSeconds(RecordingMode recording, int minutes, string seconds)
    {
        // Act
        var dial = DialOf(Builder.Dial(Plan(recording) with { MaxCallMinutes = minutes }));

        // Assert
        Assert.Equal(seconds, (string?)dial.Attribute("timeLimit"));
    }

    [Theory]
    [InlineData(RecordingMode.Off)]
    [InlineData(RecordingMode.RecordFromAnswer)]
    [InlineData(RecordingMode.DualChannel)]
    public void Dial_AnyRecordingMode_AsksForEveryProspectStatusEventByPost(RecordingMode recording)
    {
        // Act
        var number = DialOf(Builder.Dial(Plan(recording))).Elements().Single();

        // Assert
        Assert.Equal("initiated ringing answered completed", (string?)number.Attribute("statusCallbackEvent"));
        Assert.Equal("POST", (string?)number.Attribute("statusCallbackMethod"));
        var statusCallback = new Uri((string)number.Attribute("statusCallback")!);
        Assert.Equal("https://calls.playbooks.example/api/twilio/status", statusCallback.GetLeftPart(UriPartial.Path));
        Assert.Contains("rc=3", statusCallback.Fragment);
    }

    [Fact]
    public void Dial_RecordingOff_HasNoRecordingAttributes()
    {
        // Act
        var dial = DialOf(Builder.Dial(Plan(RecordingMode.Off)));

        // Assert
        Assert.DoesNotContain(dial.Attributes(), a => a.Name.LocalName.StartsWith("record", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(RecordingMode.RecordFromAnswer, "record-from-answer")]
    [InlineData(RecordingMode.DualChannel, "record-from-answer-dual")]
    public void Dial_RecordingOn_RecordsFromAnswerAndReportsTheFinishedRecording(RecordingMode recording, string expected)
    {
        // Act
        var dial = DialOf(Builder.Dial(Plan(recording)));

        // Assert
        Assert.Equal(expected, (string?)dial.Attribute("record"));
        Assert.Equal("completed", (string?)dial.Attribute("recordingStatusCallbackEvent"));
        Assert.Equal("POST", (string?)dial.Attribute("recordingStatusCallbackMethod"));
        var callback = new Uri((string)dial.Attribute("recordingStatusCallback")!);
        Assert.Equal("https://calls.playbooks.example/api/twilio/recording-status", callback.GetLeftPart(UriPartial.Path));
        Assert.Equal(
            new Dictionary<string, string> { ["orgId"] = "org-1", ["userId"] = "user-1", ["method"] = "computer" },
            QueryOf(callback.OriginalString));
    }

    [Fact]
    public void Dial_PhoneBasedCall_CallbacksCarryMethodAgentCallAndWhoIdIntact()
    {
        // Arrange
        var callback = new CallbackContext("org&1", "user=1", CallingMethod.Phone) { AgentCallSid = "CA9", WhoId = "00Q#1" };

        // Act
        var dial = DialOf(Builder.Dial(Plan(RecordingMode.RecordFromAnswer, callback)));

        // Assert
        var expected = new Dictionary<string, string>
        {
            ["orgId"] = "org&1", ["userId"] = "user=1", ["method"] = "phone", ["agentCallSid"] = "CA9", ["crmWhoId"] = "00Q#1",
        };
        Assert.Equal(expected, QueryOf((string)dial.Elements().Single().Attribute("statusCallback")!));
        Assert.Equal(expected, QueryOf((string)dial.Attribute("recordingStatusCallback")!));
    }

    [Fact]
    public void Refuse_Sentence_SaysItThenHangsUp()
    {
        // Act
        var twiml = Builder.Refuse("Calls to premium-rate numbers are blocked.");

        // Assert
        var verbs = XDocument.Parse(twiml).Root!.Elements().ToList();
        Assert.Equal(["Say", "Hangup"], verbs.Select(v => v.Name.LocalName));
        Assert.Equal("Calls to premium-rate numbers are blocked.", verbs[0].Value);
        Assert.Empty(verbs[1].Nodes());
    }

    [Fact]
    public void Refuse_SentenceWithMarkup_IsSpokenAsTextNotParsedAsTwiml()
    {
        // Act
        var twiml = Builder.Refuse("<Dial>+19005550100</Dial> & more");

        // Assert
        var root = XDocument.Parse(twiml).Root!;
        Assert.Empty(root.Descendants("Dial"));
        Assert.Equal("<Dial>+19005550100</Dial> & more", root.Element("Say")!.Value);
    }
}

public class TwimlBuilderDisclosureTests
{
    private static readonly TwimlBuilder Builder = new(new CallbackUrls(TestTwilioOptions.Wrap()));

    private static readonly CallbackContext Callback = new("org-1", "user-1", CallingMethod.Computer) { AgentCallSid = "CA" + new string('a', 32) };

    private static XElement NumberOf(string twiml) =>
        XDocument.Parse(twiml).Root!.Element("Dial")!.Element("Number")!;

    [Fact]
    public void Dial_Disclose_NumberUrlPostsToTheSignedDisclosureRouteWithTheCallsContext()
    {
        // Arrange
        var plan = new DialPlan("+12015550123", "+14155550199", RecordingMode.RecordFromAnswer, Callback) { Disclose = true };

        // Act
        var number = NumberOf(Builder.Dial(plan));

        // Assert
        var url = new Uri((string)number.Attribute("url")!);
        Assert.Equal($"{TestTwilioOptions.PublicBaseUrl}/api/twilio/disclosure", url.GetLeftPart(UriPartial.Path));
        var query = QueryHelpers.ParseQuery(url.Query);
        Assert.Equal(("org-1", "user-1", Callback.AgentCallSid), (query["orgId"].ToString(), query["userId"].ToString(), query["agentCallSid"].ToString()));
        Assert.Equal("POST", (string?)number.Attribute("method"));
        var dial = number.Parent!;
        Assert.Equal("record-from-answer", (string?)dial.Attribute("record"));
        Assert.Equal("true", (string?)dial.Attribute("answerOnBridge"));
    }

    [Fact]
    public void Dial_NoDisclosure_NumberHasNoUrl()
    {
        // Act
        var number = NumberOf(Builder.Dial(new DialPlan("+12015550123", "+14155550199", RecordingMode.RecordFromAnswer, Callback)));

        // Assert
        Assert.Null(number.Attribute("url"));
        Assert.Null(number.Attribute("method"));
    }

    [Fact]
    public void Disclosure_Text_SaysItAndNothingElse()
    {
        // Act
        var verbs = XDocument.Parse(Builder.Disclosure("This call is recorded <Hangup/>.", null)).Root!.Elements().ToList();

        // Assert: the bridge follows when the whisper's TwiML ends, so it must not hang up
        var say = Assert.Single(verbs);
        Assert.Equal("Say", say.Name.LocalName);
        Assert.Equal("This call is recorded <Hangup/>.", say.Value);
    }

    [Fact]
    public void Disclosure_NoText_SaysTheDefaultSentence()
    {
        // Act
        var say = Assert.Single(XDocument.Parse(Builder.Disclosure(null, null)).Root!.Elements());

        // Assert
        Assert.Equal(Playbooks.Calling.Recordings.RecordingDisclosure.DefaultText, say.Value);
    }

    [Fact]
    public void Disclosure_AudioUrl_PlaysItInsteadOfTheText()
    {
        // Act
        var play = Assert.Single(XDocument.Parse(Builder.Disclosure("ignored", "https://cdn.example.com/disclosure.mp3")).Root!.Elements());

        // Assert
        Assert.Equal("Play", play.Name.LocalName);
        Assert.Equal("https://cdn.example.com/disclosure.mp3", play.Value);
    }
}
