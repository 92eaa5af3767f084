using Microsoft.Extensions.Options;
using Playbooks.Calling.Calls;
using Playbooks.Calling.Twilio;

namespace Playbooks.Calling.AgentPhones;

/// <summary>Our webhooks for a verification call: its TwiML, and the &lt;Gather&gt; action the digits are posted to.</summary>
public class AgentPhoneVerificationUrls(IOptions<TwilioOptions> options)
{
    public const string CallPath = "/api/twilio/agent-verification";
    public const string DigitsPath = "/api/twilio/agent-verification/digits";

    public const string OrgIdParameter = "orgId";
    public const string UserIdParameter = "userId";
    public const string VerificationIdParameter = "verificationId";

    private readonly string _baseUrl = options.Value.PublicBaseUrl;

    /// <summary>The verification call's TwiML URL, with Twilio's connection overrides (retries on connect failure and 5xx).</summary>
    public virtual Uri Call(AgentPhoneVerification verification) =>
        new(PublicUrl.Combine(_baseUrl, CallPath) + Query(verification) + CallbackUrls.ConnectionOverrides, UriKind.Absolute);

    public virtual Uri Digits(AgentPhoneVerification verification) =>
        new(PublicUrl.Combine(_baseUrl, DigitsPath) + Query(verification), UriKind.Absolute);

    private static string Query(AgentPhoneVerification verification) =>
        $"?{OrgIdParameter}={Uri.EscapeDataString(verification.OrgId)}"
        + $"&{UserIdParameter}={Uri.EscapeDataString(verification.UserId)}"
        + $"&{VerificationIdParameter}={Uri.EscapeDataString(verification.Id)}";
}
