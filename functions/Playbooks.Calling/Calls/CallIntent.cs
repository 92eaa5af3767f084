using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;
using Playbooks.Calling.Twilio;

namespace Playbooks.Calling.Calls;

/// <summary>What a phone-based call was created for: who asked, and whom to dial once the rep answers.</summary>
public sealed record CallIntentData(string OrgId, string UserId, string ProspectNumber, string? WhoId, DateTimeOffset IssuedAt);

/// <summary>
/// Seals a <see cref="CallIntentData"/> into the agent leg's voice URL so nobody can forge or alter it:
/// base64url(JSON) "." base64url(HMAC-SHA256). The voice webhook reads the prospect from here, never from
/// the form, because a browser Device can send form parameters of its own choosing.
/// </summary>
/// <remarks>
/// The key is derived (HKDF) from the auth token, the secret every webhook is already verified with, so
/// both rotate together; the purpose label keeps this key apart from any other use of the token.
/// </remarks>
public class CallIntentProtector(IOptions<TwilioOptions> options)
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(10);

    /// <summary>Tolerated clock difference between the instance that sealed and the one that opens.</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(1);

    private const string Purpose = "playbooks-calling/call-intent/v1";

    private readonly byte[] _key = HKDF.DeriveKey(
        HashAlgorithmName.SHA256,
        Encoding.UTF8.GetBytes(options.Value.AuthToken),
        outputLength: 32,
        info: Encoding.UTF8.GetBytes(Purpose));

    public virtual string Protect(CallIntentData intent)
    {
        var payload = JsonSerializer.SerializeToUtf8Bytes(
            new Payload(1, intent.OrgId, intent.UserId, intent.ProspectNumber, intent.WhoId, intent.IssuedAt.ToUnixTimeSeconds()),
            PayloadJson.Default.Payload);
        return Base64Url.EncodeToString(payload) + "." + Base64Url.EncodeToString(HMACSHA256.HashData(_key, payload));
    }

    public virtual Result<CallIntentData> Unprotect(string? token, DateTimeOffset now)
    {
        var dot = token?.IndexOf('.') ?? -1;
        if (token is null || dot <= 0 || dot != token.LastIndexOf('.')
            || !TryDecode(token[..dot], out var payload) || !TryDecode(token[(dot + 1)..], out var mac))
        {
            return Failure.Forbidden("intent-malformed", "The call request is not readable.");
        }

        if (!CryptographicOperations.FixedTimeEquals(mac, HMACSHA256.HashData(_key, payload)))
        {
            return Failure.Forbidden("intent-invalid", "The call request was not issued by this service.");
        }

        Payload? data;
        try
        {
            data = JsonSerializer.Deserialize(payload, PayloadJson.Default.Payload);
        }
        catch (JsonException)
        {
            data = null;
        }

        if (data is not { V: 1 } || string.IsNullOrEmpty(data.O) || string.IsNullOrEmpty(data.U) || string.IsNullOrEmpty(data.T))
        {
            return Failure.Forbidden("intent-malformed", "The call request is not readable.");
        }

        var issuedAt = DateTimeOffset.FromUnixTimeSeconds(data.Iat);
        if (now - issuedAt > MaxAge || issuedAt - now > ClockSkew)
        {
            return Failure.Forbidden("intent-expired", "The call request has expired. Place the call again.");
        }

        return new CallIntentData(data.O, data.U, data.T, data.W, issuedAt);
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

    internal sealed record Payload(
        [property: JsonPropertyName("v")] int V,
        [property: JsonPropertyName("o")] string O,
        [property: JsonPropertyName("u")] string U,
        [property: JsonPropertyName("t")] string T,
        [property: JsonPropertyName("w")] string? W,
        [property: JsonPropertyName("iat")] long Iat);
}

[JsonSerializable(typeof(CallIntentProtector.Payload))]
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
internal sealed partial class PayloadJson : JsonSerializerContext;
