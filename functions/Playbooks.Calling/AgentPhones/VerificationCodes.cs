using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Playbooks.Calling.Twilio;

namespace Playbooks.Calling.AgentPhones;

/// <summary>
/// The 6-digit code of a verification, derived (HMAC-SHA256) from a key and the verification's org, user, number and
/// nonce. Nothing that reveals the code is stored: its owner's /api/me derives it again to show it, and the webhook
/// derives it to compare, in constant time.
/// </summary>
/// <remarks>The key is derived (HKDF) from the auth token with a purpose label of its own, as call intents are.</remarks>
public class VerificationCodes(IOptions<TwilioOptions> options)
{
    public const int Length = 6;

    private const string Purpose = "playbooks-calling/agent-phone-verification/v1";

    private readonly byte[] _key = HKDF.DeriveKey(
        HashAlgorithmName.SHA256,
        Encoding.UTF8.GetBytes(options.Value.AuthToken),
        outputLength: 32,
        info: Encoding.UTF8.GetBytes(Purpose));

    /// <summary>A fresh random nonce for a new verification (128 bits, hex).</summary>
    public static string NewId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    public virtual string CodeFor(AgentPhoneVerification verification)
    {
        var mac = HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(
            string.Join('\n', verification.OrgId, verification.UserId, verification.Number, verification.Id)));
        var value = BinaryPrimitives.ReadUInt32BigEndian(mac) % 1_000_000;
        return value.ToString("D6", CultureInfo.InvariantCulture);
    }

    public virtual bool Matches(AgentPhoneVerification verification, string? digits) =>
        CryptographicOperations.FixedTimeEquals(
            Encoding.ASCII.GetBytes(CodeFor(verification)),
            Encoding.ASCII.GetBytes(digits ?? ""));
}
