using Playbooks.Calling.Orgs;
using Twilio.TwiML;
using Twilio.TwiML.Voice;
using Twilio.Types;
using TwilioHttpMethod = Twilio.Http.HttpMethod;
using DialVerb = Twilio.TwiML.Voice.Dial;

namespace Playbooks.Calling.Calls;

/// <summary>Everything the voice webhook needs to connect the agent leg to a prospect.</summary>
public sealed record DialPlan(
    string ProspectNumber,
    string CallerId,
    RecordingMode Recording,
    CallbackContext Callback)
{
    /// <summary>The &lt;Dial&gt;'s timeLimit: the org's longest allowed call.</summary>
    public int MaxCallMinutes { get; init; } = OrgSettings.DefaultMaxCallMinutes;

    /// <summary>The prospect hears the recording disclosure when they answer, before the legs are bridged.</summary>
    public bool Disclose { get; init; }
}

/// <summary>The TwiML our voice webhook answers with.</summary>
public class TwimlBuilder(CallbackUrls urls)
{
    /// <summary>Twilio's status events for the prospect leg, all of them.</summary>
    public static readonly IReadOnlyList<Number.EventEnum> ProspectEvents =
        [Number.EventEnum.Initiated, Number.EventEnum.Ringing, Number.EventEnum.Answered, Number.EventEnum.Completed];

    /// <summary>
    /// &lt;Dial&gt; the prospect with the org's caller ID. answerOnBridge keeps the agent leg ringing until the
    /// prospect answers, so the rep hears real ringback and billing starts at the answer. timeLimit ends a call
    /// nobody hangs up (a forgotten tab, a phone left off the hook) before it runs up the shared account's bill.
    /// </summary>
    public virtual string Dial(DialPlan plan)
    {
        var record = RecordAttribute(plan.Recording);
        var timeLimit = plan.MaxCallMinutes * 60;
        var dial = record is null
            ? new DialVerb(callerId: plan.CallerId, answerOnBridge: true, timeLimit: timeLimit)
            : new DialVerb(
                callerId: plan.CallerId,
                answerOnBridge: true,
                timeLimit: timeLimit,
                record: record,
                recordingStatusCallback: urls.RecordingStatus(plan.Callback),
                recordingStatusCallbackMethod: TwilioHttpMethod.Post,
                recordingStatusCallbackEvent: [DialVerb.RecordingEventEnum.Completed]);

        // <Number url> runs on the prospect's leg once they answer; the rep keeps hearing ringback (answerOnBridge)
        // and record-from-answer starts at the bridge, after the disclosure.
        dial.Number(
            new PhoneNumber(plan.ProspectNumber),
            url: plan.Disclose ? urls.Disclosure(plan.Callback) : null,
            method: plan.Disclose ? TwilioHttpMethod.Post : null,
            statusCallback: urls.Status(plan.Callback),
            statusCallbackMethod: TwilioHttpMethod.Post,
            statusCallbackEvent: ProspectEvents);

        return new VoiceResponse().Append(dial).ToString();
    }

    /// <summary>Seconds the agent leg's &lt;Gather&gt; waits for the key after its prompt.</summary>
    public const int ConfirmTimeoutSeconds = 5;

    /// <summary>The key that connects the prospect.</summary>
    public const string ConfirmKey = "1";

    public const string ConfirmPrompt = "Playbooks call. Press 1 to connect.";
    public const string ConfirmRepeat = "Press 1 now to connect your call.";
    public const string NotConfirmed = "The call was not connected. Goodbye.";

    /// <summary>
    /// The answered agent leg first asks the rep to press 1, so a voicemail or an unattended phone never gets the prospect
    /// bridged into it: a one-key &lt;Gather&gt; posting the key with the call's sealed intent to our confirm webhook,
    /// asked once more, then a hang-up.
    /// Twilio only requests the action when a key was pressed; with silence the TwiML falls through to the next verb.
    /// </summary>
    public virtual string ConfirmAgentLeg(string protectedIntent)
    {
        var action = urls.AgentConfirm(protectedIntent);
        var response = new VoiceResponse();
        foreach (var prompt in new[] { ConfirmPrompt, ConfirmRepeat })
        {
            var gather = new Gather(
                input: [Gather.InputEnum.Dtmf],
                numDigits: 1,
                timeout: ConfirmTimeoutSeconds,
                action: action,
                method: TwilioHttpMethod.Post,
                actionOnEmptyResult: false);
            gather.Say(prompt);
            response.Append(gather);
        }

        return response.Say(NotConfirmed).Hangup().ToString();
    }

    /// <summary>The rep pressed another key than 1: the agent leg hangs up and the prospect is never dialed.</summary>
    public virtual string Declined() => new VoiceResponse().Say(NotConfirmed).Hangup().ToString();

    /// <summary>Says why the call can't be placed, in one short sentence, then hangs up (never a 500).</summary>
    public virtual string Refuse(string sentence) =>
        new VoiceResponse().Say(sentence).Hangup().ToString();

    /// <summary>The disclosure the prospect hears before the bridge: the org's recording when it has one, else its sentence.</summary>
    public virtual string Disclosure(string? text, string? audioUrl) =>
        (audioUrl is not null
            ? new VoiceResponse().Play(new Uri(audioUrl, UriKind.Absolute))
            : new VoiceResponse().Say(text ?? Recordings.RecordingDisclosure.DefaultText)).ToString();

    /// <summary>
    /// A voicemail drop, on the prospect's leg: plays the rep's greeting from its short-lived link once, then hangs up.
    /// </summary>
    public virtual string VoicemailDrop(Uri greetingUrl) => new VoiceResponse().Play(greetingUrl, loop: 1).Hangup().ToString();

    private static DialVerb.RecordEnum? RecordAttribute(RecordingMode mode) => mode switch
    {
        RecordingMode.RecordFromAnswer => DialVerb.RecordEnum.RecordFromAnswer,
        RecordingMode.DualChannel => DialVerb.RecordEnum.RecordFromAnswerDual,
        _ => null,
    };
}
