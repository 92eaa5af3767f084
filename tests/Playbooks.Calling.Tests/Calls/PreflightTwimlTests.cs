using System.Xml.Linq;
using Playbooks.Calling.Calls;
using Playbooks.Calling.Tests.Twilio;

namespace Playbooks.Calling.Tests.Calls;

public class PreflightTwimlTests
{
    private const string RecordingSid = "RE0123456789abcdef0123456789abcdef";

    private static XElement Root(string twiml) => XDocument.Parse(twiml).Root!;

    [Fact]
    public void Record_Always_SaysThenRecordsAFewSecondsToThePlaybackRoute()
    {
        // Arrange
        var twiml = new PreflightTwiml(TestTwilioOptions.Wrap());

        // Act
        var root = Root(twiml.Record());

        // Assert
        var verbs = root.Elements().Select(e => e.Name.LocalName).ToList();
        Assert.Equal(["Say", "Record", "Say", "Hangup"], verbs);
        var record = root.Element("Record")!;
        Assert.Equal(TestTwilioOptions.PublicBaseUrl + PreflightTwiml.PlaybackPath, record.Attribute("action")!.Value);
        Assert.Equal("POST", record.Attribute("method")!.Value);
        Assert.Equal("5", record.Attribute("maxLength")!.Value);
        Assert.Equal("true", record.Attribute("playBeep")!.Value);
    }

    [Fact]
    public void Record_Always_NeverDials()
    {
        // Arrange
        var twiml = new PreflightTwiml(TestTwilioOptions.Wrap());

        // Act
        var documents = new[] { twiml.Record(), twiml.Playback(RecordingSid), twiml.Playback(null), twiml.Refuse() };

        // Assert
        Assert.All(documents, d => Assert.DoesNotContain(Root(d).Descendants(), e => e.Name.LocalName is "Dial" or "Number" or "Enqueue" or "Redirect"));
    }

    [Fact]
    public void Playback_RecordingSid_PlaysTwiliosMediaUrlForTheAccountThenHangsUp()
    {
        // Arrange
        var twiml = new PreflightTwiml(TestTwilioOptions.Wrap());

        // Act
        var root = Root(twiml.Playback(RecordingSid));

        // Assert
        Assert.Equal(["Play", "Hangup"], root.Elements().Select(e => e.Name.LocalName).ToList());
        Assert.Equal(
            $"https://api.twilio.com/2010-04-01/Accounts/{TestTwilioOptions.AccountSid}/Recordings/{RecordingSid}.wav",
            root.Element("Play")!.Value);
    }

    [Fact]
    public void Playback_RestApiBaseUrlSet_PlaysFromThere()
    {
        // Arrange
        var twiml = new PreflightTwiml(TestTwilioOptions.Wrap(o => o.RestApiBaseUrl = "http://localhost:7071/sim/"));

        // Act
        var root = Root(twiml.Playback(RecordingSid));

        // Assert
        Assert.StartsWith("http://localhost:7071/sim/2010-04-01/Accounts/", root.Element("Play")!.Value);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("https://evil.example/a.mp3")]
    [InlineData("RE0123")]
    [InlineData("RE0123456789abcdef0123456789abcdef/../../x")]
    public void Playback_NoOrMalformedRecordingSid_SaysNothingWasRecordedAndPlaysNothing(string? recordingSid)
    {
        // Arrange
        var twiml = new PreflightTwiml(TestTwilioOptions.Wrap());

        // Act
        var root = Root(twiml.Playback(recordingSid));

        // Assert
        Assert.Null(root.Element("Play"));
        Assert.Equal(PreflightTwiml.NothingRecorded, root.Element("Say")!.Value);
        Assert.NotNull(root.Element("Hangup"));
    }
}
