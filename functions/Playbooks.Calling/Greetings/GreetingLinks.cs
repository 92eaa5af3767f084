using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Playbooks.Calling.Twilio;

namespace Playbooks.Calling.Greetings;

/// <summary>Which greeting a link opens.</summary>
public sealed record GreetingLinkTarget(string OrgId, string UserId, string GreetingId);

/// <summary>
/// Short-lived links for Twilio's &lt;Play&gt; of a greeting: <c>/api/twilio/greetings/{token}</c>, the token being
/// base64url(org, user, greeting, expiry) "." base64url(HMAC-SHA256). A link opens one greeting, until it expires; the
/// audio is never at a permanent public URL. Twilio's media fetch is a plain GET without a form, so the token, not
/// X-Twilio-Signature, is what proves the request.
/// </summary>
/// <remarks>The key is derived (HKDF) from the Twilio auth token with its own purpose label, as the call intents' is.</remarks>
public class GreetingLinks(IOptions<TwilioOptions> options, TimeProvider time)
{
    public const string PathPrefix = "/api/twilio/greetings/";

    public const string Invalid = "greeting-link-invalid";

    /// <summary>Long enough for Twilio to fetch the audio right after the redirect (and retry), short enough to be useless later.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);

    private const string Purpose = "playbooks-calling/greeting-link/v1";

    private readonly byte[] _key = HKDF.DeriveKey(
        HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(options.Value.AuthToken), outputLength: 32, info: Encoding.UTF8.GetBytes(Purpose));

    private readonly string _baseUrl = options.Value.PublicBaseUrl;

    public virtual Uri Create(GreetingLinkTarget target)
    {
        var expires = time.GetUtcNow().Add(Lifetime).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var payload = Encoding.UTF8.GetBytes(string.Join('\n', "1", target.OrgId, target.UserId, target.GreetingId, expires));
        var token = Base64Url.EncodeToString(payload) + "." + Base64Url.EncodeToString(HMACSHA256.HashData(_key, payload));
        return new Uri(PublicUrl.Combine(_baseUrl, PathPrefix + token), UriKind.Absolute);
    }

    /// <summary>The greeting the token opens, or 403 <see cref="Invalid"/> when it is forged, altered or expired.</summary>
    public virtual Result<GreetingLinkTarget> Open(string? token)
    {
        var refused = Failure.Forbidden(Invalid, "The greeting link is not valid or has expired.");
        var dot = token?.IndexOf('.') ?? -1;
        if (token is null || token.Length > 1024 || dot <= 0 || dot != token.LastIndexOf('.')
            || !TryDecode(token[..dot], out var payload) || !TryDecode(token[(dot + 1)..], out var mac)
            || !CryptographicOperations.FixedTimeEquals(mac, HMACSHA256.HashData(_key, payload)))
        {
            return refused;
        }

        var parts = Encoding.UTF8.GetString(payload).Split('\n');
        if (parts is not ["1", { Length: > 0 } org, { Length: > 0 } user, var id, var expires]
            || !GreetingStore.IsWellFormedId(id)
            || !long.TryParse(expires, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || time.GetUtcNow().ToUnixTimeSeconds() > seconds)
        {
            return refused;
        }

        return new GreetingLinkTarget(org, user, id);
    }

    private static bool TryDecode(string text, out byte[] bytes)
    {
        try
        {
            bytes = Base64Url.DecodeFromChars(text);
            return true;
        }
        catch (FormatException)
        {
            bytes = [];
            return false;
        }
    }
}
