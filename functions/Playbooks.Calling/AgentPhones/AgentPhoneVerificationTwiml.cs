using Twilio.TwiML;
using Twilio.TwiML.Voice;
using TwilioHttpMethod = Twilio.Http.HttpMethod;

namespace Playbooks.Calling.AgentPhones;

/// <summary>The TwiML of a verification call. It never says the code: only the person who sees it on screen can enter it.</summary>
public class AgentPhoneVerificationTwiml(AgentPhoneVerificationUrls urls)
{
    /// <summary>Seconds Twilio waits for the first digit, and between digits.</summary>
    public const int GatherTimeoutSeconds = 10;

    public const string Prompt =
        "This is Playbooks Calling, verifying this phone for phone-based calls. Enter the 6 digit code shown on your screen.";

    public const string NoCode = "No code was entered. Start the verification again from your settings. Goodbye.";
    public const string Verified = "Thank you. This phone is now verified for Playbooks Calling. Goodbye.";
    public const string WrongCode = "That code is not right.";
    public const string Locked = "That code is not right, and there are no attempts left. Start the verification again from your settings. Goodbye.";
    public const string Expired = "This verification has expired. Start it again from your settings. Goodbye.";

    /// <summary>Asks for the code; with no digits before the timeout, says so and hangs up.</summary>
    public virtual string Ask(AgentPhoneVerification verification, string? before = null)
    {
        var response = new VoiceResponse();
        if (before is not null)
        {
            response.Say(before);
        }

        var gather = new Gather(
            input: [Gather.InputEnum.Dtmf],
            numDigits: VerificationCodes.Length,
            timeout: GatherTimeoutSeconds,
            finishOnKey: "#",
            action: urls.Digits(verification),
            method: TwilioHttpMethod.Post);
        gather.Say(Prompt);
        return response.Append(gather).Say(NoCode).Hangup().ToString();
    }

    /// <summary>Says one sentence and hangs up.</summary>
    public virtual string Say(string sentence) => new VoiceResponse().Say(sentence).Hangup().ToString();
}
