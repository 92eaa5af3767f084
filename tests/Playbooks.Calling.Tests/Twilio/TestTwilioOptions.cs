using Microsoft.Extensions.Options;
using Playbooks.Calling.Twilio;

namespace Playbooks.Calling.Tests.Twilio;

/// <summary>Valid Twilio settings for tests; change one thing with a <c>with</c>-style callback.</summary>
internal static class TestTwilioOptions
{
    public const string AccountSid = "AC0123456789abcdef0123456789abcdef";
    public const string ApiKeySid = "SK0123456789abcdef0123456789abcdef";
    public const string ApiKeySecret = "s3cr3t-api-key-secret-0123456789ab";
    public const string AuthToken = "12345";
    public const string TwimlAppSid = "AP0123456789abcdef0123456789abcdef";
    public const string PublicBaseUrl = "https://calls.playbooks.example";

    public static TwilioOptions Create(Action<TwilioOptions>? change = null)
    {
        var options = new TwilioOptions
        {
            AccountSid = AccountSid,
            ApiKeySid = ApiKeySid,
            ApiKeySecret = ApiKeySecret,
            AuthToken = AuthToken,
            TwimlAppSid = TwimlAppSid,
            PublicBaseUrl = PublicBaseUrl,
        };
        change?.Invoke(options);
        return options;
    }

    public static IOptions<TwilioOptions> Wrap(Action<TwilioOptions>? change = null) => Options.Create(Create(change));
}
