using Microsoft.Extensions.Options;
using Playbooks.Calling.Calls;
using Playbooks.Calling.Orgs;
using Playbooks.DevServer.TwilioSimulator;

namespace Playbooks.DevServer.Tests.TwilioSimulator;

public sealed class TwimlParserTests
{
    private static readonly TwimlBuilder Builder = new(new CallbackUrls(Options.Create(SimulatorSettings.Twilio("https://calls.example.com"))));

    private static readonly CallbackContext Context = new("acme-demo", "rep-both", CallingMethod.Computer);

    [Theory]
    [InlineData(RecordingMode.Off, "do-not-record", false, 1)]
    [InlineData(RecordingMode.RecordFromAnswer, "record-from-answer", true, 1)]
    [InlineData(RecordingMode.DualChannel, "record-from-answer-dual", true, 2)]
    public void Parse_OurDialTwiml_ReadsRecordingCallerIdAndCallbacks(RecordingMode mode, string record, bool records, int channels)
    {
        var twiml = Builder.Dial(new DialPlan("+12015550100", "+15005550006", mode, Context));

        var dial = Assert.IsType<DialVerb>(Assert.Single(TwimlParser.Parse(twiml).Verbs!));

        Assert.Equal(("+15005550006", true, record, records, channels), (dial.CallerId, dial.AnswerOnBridge, dial.Record, dial.Records, dial.RecordingChannels));
        var number = Assert.Single(dial.Numbers);
        Assert.Equal("+12015550100", number.Number);
        Assert.StartsWith("https://calls.example.com/api/twilio/status?orgId=acme-demo&userId=rep-both&method=computer#", number.StatusCallback!.Url);
        Assert.Equal("POST", number.StatusCallback.Method);
        Assert.Equal(["answered", "completed", "initiated", "ringing"], number.StatusCallback.Events.Order());
        if (records)
        {
            Assert.StartsWith("https://calls.example.com/api/twilio/recording-status?", dial.RecordingStatusCallback!.Url);
            Assert.Equal(["completed"], dial.RecordingStatusCallback.Events);
        }
        else
        {
            Assert.Null(dial.RecordingStatusCallback);
        }
    }

    [Theory]
    [InlineData("record-from-ringing", true, 1)]
    [InlineData("record-from-ringing-dual", true, 2)]
    [InlineData("true", false, 1)]
    public void Parse_OtherRecordModes_KnowsWhenRecordingStartsAndItsChannels(string record, bool fromRinging, int channels)
    {
        var twiml = $"""<Response><Dial record="{record}" recordingStatusCallback="https://x.example/r" recordingStatusCallbackEvent="in-progress completed"><Number>+12015550100</Number></Dial></Response>""";

        var dial = Assert.IsType<DialVerb>(Assert.Single(TwimlParser.Parse(twiml).Verbs!));

        Assert.Equal((true, fromRinging, channels), (dial.Records, dial.RecordsFromRinging, dial.RecordingChannels));
        Assert.Equal(["completed", "in-progress"], dial.RecordingStatusCallback!.Events.Order());
    }

    [Fact]
    public void Parse_OurRefusal_IsSayThenHangup()
    {
        var verbs = TwimlParser.Parse(Builder.Refuse("Calling is not enabled for your organization.")).Verbs!;

        Assert.Collection(
            verbs,
            v => Assert.Equal("Calling is not enabled for your organization.", Assert.IsType<SayVerb>(v).Text),
            v => Assert.IsType<HangupVerb>(v));
    }

    [Fact]
    public void Parse_DialWithoutAttributes_UsesTwilioDefaults()
    {
        var dial = Assert.IsType<DialVerb>(Assert.Single(TwimlParser.Parse("<Response><Dial>+12015550100</Dial></Response>").Verbs!));

        Assert.Equal((null, false, "do-not-record", 30, 14400), (dial.CallerId, dial.AnswerOnBridge, dial.Record, dial.TimeoutSeconds, dial.TimeLimitSeconds));
        Assert.Equal("+12015550100", Assert.Single(dial.Numbers).Number);
        Assert.Null(dial.Numbers[0].StatusCallback);
    }

    [Fact]
    public void Parse_NumberWithCallbackButNoEvents_AsksForCompletedOnly()
    {
        var dial = (DialVerb)TwimlParser.Parse("""<Response><Dial timeout="10" timeLimit="60"><Number statusCallback="https://x.example/s">+12015550100</Number></Dial></Response>""").Verbs![0];

        Assert.Equal(["completed"], dial.Numbers[0].StatusCallback!.Events);
        Assert.Equal((10, 60), (dial.TimeoutSeconds, dial.TimeLimitSeconds));
    }

    [Fact]
    public void Parse_PauseAndUnknownVerbs_KeepsOrder()
    {
        var verbs = TwimlParser.Parse("""<?xml version="1.0" encoding="UTF-8"?><Response><Pause length="3"/><Gather/><Play>https://x.example/a.mp3</Play><Hangup/></Response>""").Verbs!;

        Assert.Equal(["Pause", "Gather", "Play", "Hangup"], verbs.Select(v => v.Name));
        Assert.Equal(3, Assert.IsType<PauseVerb>(verbs[0]).Seconds);
    }

    [Fact]
    public void Parse_OurPreflightTwiml_ReadsRecordAndPlay()
    {
        var twiml = new PreflightTwiml(Options.Create(SimulatorSettings.Twilio("https://calls.example.com")));

        var record = Assert.IsType<RecordVerb>(TwimlParser.Parse(twiml.Record()).Verbs![1]);
        var play = Assert.IsType<PlayVerb>(TwimlParser.Parse(twiml.Playback("RE0123456789abcdef0123456789abcdef")).Verbs![0]);

        Assert.Equal((PreflightTwiml.RecordSeconds, true, "https://calls.example.com/api/twilio/preflight/playback", "POST"), (record.MaxLengthSeconds, record.PlayBeep, record.Action, record.Method));
        Assert.EndsWith("/Recordings/RE0123456789abcdef0123456789abcdef.wav", play.Url);
        Assert.Equal(1, play.Loop);
    }

    [Theory]
    [InlineData("")]
    [InlineData("<Response><Dial>")]
    [InlineData("<Say>hello</Say>")]
    [InlineData("""<Response><Dial record="sometimes"><Number>+12015550100</Number></Dial></Response>""")]
    [InlineData("""<Response><Pause length="soon"/></Response>""")]
    [InlineData("""<!DOCTYPE r [<!ENTITY x "y">]><Response/>""")]
    public void Parse_NotValidTwiml_ReturnsError(string twiml)
    {
        var (verbs, error) = TwimlParser.Parse(twiml);

        Assert.Null(verbs);
        Assert.False(string.IsNullOrEmpty(error));
    }
}
