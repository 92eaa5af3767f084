using System.ComponentModel.DataAnnotations;

namespace Playbooks.Calling.Twilio;

/// <summary>The Twilio account, credentials and limits the calling core uses (section "Twilio").</summary>
public sealed class TwilioOptions : IValidatableObject
{
    public const string Section = "Twilio";

    public static readonly TimeSpan MinTokenLifetime = TimeSpan.FromMinutes(1);

    public static readonly TimeSpan MaxTokenLifetime = TimeSpan.FromHours(1);

    [Required(ErrorMessage = "Set Twilio:AccountSid.")]
    [RegularExpression("^AC[0-9A-Za-z]{32}$", ErrorMessage = "Twilio:AccountSid must be an account SID (AC followed by 32 characters).")]
    public string AccountSid { get; set; } = "";

    [Required(ErrorMessage = "Set Twilio:ApiKeySid.")]
    [RegularExpression("^SK[0-9A-Za-z]{32}$", ErrorMessage = "Twilio:ApiKeySid must be an API key SID (SK followed by 32 characters).")]
    public string ApiKeySid { get; set; } = "";

    /// <summary>Signs access tokens with HS256, which needs at least 256 bits of key.</summary>
    [Required(ErrorMessage = "Set Twilio:ApiKeySecret.")]
    [MinLength(32, ErrorMessage = "Twilio:ApiKeySecret must be at least 32 characters (a Twilio API key secret is).")]
    public string ApiKeySecret { get; set; } = "";

    /// <summary>Checks X-Twilio-Signature and keys call intents.</summary>
    [Required(ErrorMessage = "Set Twilio:AuthToken.")]
    public string AuthToken { get; set; } = "";

    [Required(ErrorMessage = "Set Twilio:TwimlAppSid.")]
    [RegularExpression("^AP[0-9A-Za-z]{32}$", ErrorMessage = "Twilio:TwimlAppSid must be a TwiML app SID (AP followed by 32 characters).")]
    public string TwimlAppSid { get; set; } = "";

    /// <summary>
    /// The TwiML app of the network test (preflight), whose voice URL is {PublicBaseUrl}/api/twilio/preflight. Preflight
    /// tokens are granted this app only, so a network test never reaches the calling webhook. Unset: no network test.
    /// </summary>
    [RegularExpression("^AP[0-9A-Za-z]{32}$", ErrorMessage = "Twilio:PreflightTwimlAppSid must be a TwiML app SID (AP followed by 32 characters).")]
    public string? PreflightTwimlAppSid { get; set; }

    /// <summary>The origin Twilio reaches us at; webhook URLs are built from it and signatures are checked against it.</summary>
    [Required(ErrorMessage = "Set Twilio:PublicBaseUrl.")]
    public string PublicBaseUrl { get; set; } = "";

    [RegularExpression(@"^\+[1-9][0-9]{1,14}$", ErrorMessage = "Twilio:DefaultCallerId must be an E.164 number such as +14155550100.")]
    public string? DefaultCallerId { get; set; }

    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Longest a minted access token is handed out again to the same identity for the same TwiML app (0 to 5 s; zero mints every time).</summary>
    public TimeSpan TokenReuseWindow { get; set; } = MaxTokenReuseWindow;

    public static readonly TimeSpan MaxTokenReuseWindow = TimeSpan.FromSeconds(5);

    [Range(1, 1000, ErrorMessage = "Twilio:TokenRequestsPerMinute must be between 1 and 1000.")]
    public int TokenRequestsPerMinute { get; set; } = 10;

    /// <summary>Phone-based calls (POST /api/calls) one user may start per minute.</summary>
    [Range(1, 1000, ErrorMessage = "Twilio:CallRequestsPerMinute must be between 1 and 1000.")]
    public int CallRequestsPerMinute { get; set; } = 10;

    /// <summary>When set, REST calls go here instead of api.twilio.com (the local Twilio simulator).</summary>
    public string? RestApiBaseUrl { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!IsAllowedPublicBaseUrl(PublicBaseUrl))
        {
            yield return new ValidationResult(
                "Twilio:PublicBaseUrl must be an absolute https URL without query or fragment (http is allowed for localhost only).",
                [nameof(PublicBaseUrl)]);
        }

        if (!string.IsNullOrEmpty(PreflightTwimlAppSid) && PreflightTwimlAppSid == TwimlAppSid)
        {
            yield return new ValidationResult(
                "Twilio:PreflightTwimlAppSid must be a TwiML app of its own, not Twilio:TwimlAppSid.", [nameof(PreflightTwimlAppSid)]);
        }

        if (TokenLifetime < MinTokenLifetime || TokenLifetime > MaxTokenLifetime)
        {
            yield return new ValidationResult(
                "Twilio:TokenLifetime must be between 00:01:00 and 01:00:00.", [nameof(TokenLifetime)]);
        }

        if (TokenReuseWindow < TimeSpan.Zero || TokenReuseWindow > MaxTokenReuseWindow)
        {
            yield return new ValidationResult(
                "Twilio:TokenReuseWindow must be between 00:00:00 and 00:00:05.", [nameof(TokenReuseWindow)]);
        }

        if (!string.IsNullOrEmpty(RestApiBaseUrl)
            && (!Uri.TryCreate(RestApiBaseUrl, UriKind.Absolute, out var rest) || (rest.Scheme != Uri.UriSchemeHttp && rest.Scheme != Uri.UriSchemeHttps)))
        {
            yield return new ValidationResult(
                "Twilio:RestApiBaseUrl must be an absolute http or https URL when set.", [nameof(RestApiBaseUrl)]);
        }
    }

    private static bool IsAllowedPublicBaseUrl(string value)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Query.Length > 0 || uri.Fragment.Length > 0)
        {
            return false;
        }

        return uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback);
    }
}
