using Microsoft.Extensions.Options;
using Playbooks.Calling.Recordings;
using Playbooks.Calling.Twilio;
using Twilio.TwiML;
using Twilio.TwiML.Voice;
using TwilioHttpMethod = Twilio.Http.HttpMethod;

namespace Playbooks.Calling.Calls;

/// <summary>
/// The network test's TwiML, as Twilio's Voice SDK preflight test expects: record a few seconds of the rep, then play
/// them back. It has no &lt;Dial&gt; anywhere, so a network test can never reach a phone.
/// </summary>
public class PreflightTwiml(IOptions<TwilioOptions> options)
{
    public const string Path = "/api/twilio/preflight";
    public const string PlaybackPath = "/api/twilio/preflight/playback";

    /// <summary>Seconds recorded; the SDK's preflight test lasts about 15 s, so record and playback fit inside it.</summary>
    public const int RecordSeconds = 5;

    public const string Prompt = "Playbooks network test. Say a few words after the tone. You will hear them back.";
    public const string NothingRecorded = "Nothing was recorded. The network test is over.";
    public const string NotAvailable = "This network test is not available.";

    private readonly TwilioOptions _twilio = options.Value;

    /// <summary>Says what happens, records up to <see cref="RecordSeconds"/> and posts the recording to the playback route.</summary>
    public virtual string Record() => new VoiceResponse()
        .Say(Prompt)
        .Record(
            action: new Uri(PublicUrl.Combine(_twilio.PublicBaseUrl, PlaybackPath)),
            method: TwilioHttpMethod.Post,
            timeout: RecordSeconds,
            maxLength: RecordSeconds,
            playBeep: true)
        .Say(NothingRecorded)
        .Hangup()
        .ToString();

    /// <summary>
    /// Plays the recording back from Twilio's own REST media URL, built from the account and a recording SID of Twilio's
    /// shape, never from a URL in the request; without one, says nothing was recorded.
    /// </summary>
    public virtual string Playback(string? recordingSid)
    {
        if (!RecordingMediaClient.IsRecordingSid(recordingSid))
        {
            return new VoiceResponse().Say(NothingRecorded).Hangup().ToString();
        }

        var restBase = string.IsNullOrEmpty(_twilio.RestApiBaseUrl) ? RecordingMediaClient.TwilioRestBaseUrl : _twilio.RestApiBaseUrl;
        var media = new Uri(
            $"{restBase.TrimEnd('/')}/2010-04-01/Accounts/{Uri.EscapeDataString(_twilio.AccountSid)}/Recordings/{recordingSid}.{RecordingMediaClient.Format}");
        return new VoiceResponse().Play(media).Hangup().ToString();
    }

    /// <summary>A call that is not a network test (a calling identity, a forged From): say so and hang up.</summary>
    public virtual string Refuse() => new VoiceResponse().Say(NotAvailable).Hangup().ToString();
}
