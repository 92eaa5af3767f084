using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Playbooks.Calling.Twilio;

namespace Playbooks.DevServer.TwilioSimulator;

/// <summary>Who a valid Voice access token speaks for.</summary>
internal sealed record DeviceIdentity(string Identity, DateTimeOffset ExpiresAt)
{
    /// <summary>The TwiML app the token's voice grant names: Twilio:TwimlAppSid, or Twilio:PreflightTwimlAppSid for a network test.</summary>
    public string? ApplicationSid { get; init; }
}

/// <summary>Why Twilio would refuse a token: an HTTP status, our code, Twilio's error code and a sentence.</summary>
internal sealed record TokenRejection(int Status, string Code, int TwilioCode, string Reason);

/// <summary>
/// Checks a Voice access token the way Twilio does when a Device connects: HS256 signed with the API key secret,
/// <c>iss</c> the API key SID, <c>sub</c> the account SID, within <c>nbf</c>..<c>exp</c> (at most 24 h), and a voice
/// grant for our TwiML app with a client identity.
/// </summary>
internal sealed class AccessTokenValidator(TwilioOptions twilio)
{
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromHours(24);

    private readonly byte[] _key = Encoding.UTF8.GetBytes(twilio.ApiKeySecret);

    public (DeviceIdentity? Identity, TokenRejection? Rejection) Validate(string? token, DateTimeOffset now)
    {
        var parts = token?.Split('.') ?? [];
        if (parts.Length != 3 || !TryJson(parts[0], out var header) || !TryJson(parts[1], out var payload) || !TryDecode(parts[2], out var signature))
        {
            return Reject(401, "token-malformed", 20101, "The access token is not a JWT.");
        }

        if (Text(header, "alg") != "HS256" || Text(header, "cty") != "twilio-fpa;v=1")
        {
            return Reject(401, "token-header-invalid", 20102, "The access token header must say alg HS256 and cty twilio-fpa;v=1.");
        }

        var expected = HMACSHA256.HashData(_key, Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]));
        if (!CryptographicOperations.FixedTimeEquals(expected, signature))
        {
            return Reject(401, "token-signature-invalid", 20107, "The access token's signature does not match the API key secret.");
        }

        if (Text(payload, "iss") != twilio.ApiKeySid)
        {
            return Reject(401, "token-issuer-invalid", 20103, "The access token's issuer is not the configured API key SID.");
        }

        if (Text(payload, "sub") != twilio.AccountSid)
        {
            return Reject(401, "token-subject-invalid", 20103, "The access token's subject is not the configured account SID.");
        }

        if (Seconds(payload, "exp") is not { } exp || exp <= now)
        {
            return Reject(401, "token-expired", 20104, "The access token has expired.");
        }

        var start = Seconds(payload, "nbf") ?? Seconds(payload, "iat");
        if (start > now)
        {
            return Reject(401, "token-not-yet-valid", 20105, "The access token is not valid yet (nbf is in the future).");
        }

        if (exp - (start ?? now) > MaxLifetime)
        {
            return Reject(401, "token-lifetime-too-long", 20157, "The access token lives longer than 24 hours.");
        }

        if (!payload.TryGetProperty("grants", out var grants) || grants.ValueKind != JsonValueKind.Object)
        {
            return Reject(403, "token-grant-invalid", 20106, "The access token has no grants.");
        }

        var application = Text(Path(grants, "voice", "outgoing"), "application_sid");
        if (application != twilio.TwimlAppSid && (string.IsNullOrEmpty(twilio.PreflightTwimlAppSid) || application != twilio.PreflightTwimlAppSid))
        {
            return Reject(403, "token-grant-invalid", 20106, "The access token's voice grant is not for a configured TwiML app.");
        }

        if (Text(grants, "identity") is not { Length: > 0 } identity)
        {
            return Reject(403, "token-identity-missing", 20106, "The access token has no client identity.");
        }

        return (new DeviceIdentity(identity, exp) { ApplicationSid = application }, null);
    }

    private static (DeviceIdentity?, TokenRejection?) Reject(int status, string code, int twilioCode, string reason) =>
        (null, new TokenRejection(status, code, twilioCode, reason));

    private static JsonElement Path(JsonElement element, params string[] names)
    {
        foreach (var name in names)
        {
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out element))
            {
                return default;
            }
        }

        return element.ValueKind == JsonValueKind.Object ? element : default;
    }

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    private static DateTimeOffset? Seconds(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.TryGetInt64(out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : null;

    private static bool TryJson(string part, out JsonElement element)
    {
        element = default;
        if (!TryDecode(part, out var bytes))
        {
            return false;
        }

        try
        {
            element = JsonDocument.Parse(bytes).RootElement;
            return element.ValueKind == JsonValueKind.Object;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static bool TryDecode(string part, out byte[] bytes)
    {
        try
        {
            bytes = Base64Url.DecodeFromChars(part);
            return true;
        }
        catch (FormatException)
        {
            bytes = [];
            return false;
        }
    }
}
