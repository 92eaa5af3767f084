using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Playbooks.Calling.Calls;

/// <summary>
/// The Twilio Voice client identity of a user: org and user in letters, digits and underscores only.
/// Letters and digits pass through; every other character becomes "_" plus the upper-case hex of each
/// of its UTF-8 bytes ("-" is "_2D"). Parts are joined by "__", which no encoded part contains.
/// </summary>
public static class ClientIdentity
{
    /// <summary>Twilio's limit on a client identity's length.</summary>
    public const int MaxLength = 121;

    private const string Separator = "__";

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static Result<string> Encode(string orgId, string userId)
    {
        if (string.IsNullOrEmpty(orgId) || string.IsNullOrEmpty(userId))
        {
            return Failure.Invalid("identity", "Org and user must both be set to build a calling identity.", "identity-incomplete");
        }

        string identity;
        try
        {
            identity = EncodePart(orgId) + Separator + EncodePart(userId);
        }
        catch (EncoderFallbackException)
        {
            return Failure.Invalid("identity", "The org or user id is not valid text.", "identity-invalid");
        }

        if (identity.Length > MaxLength)
        {
            return Failure.Invalid(
                "identity", $"The org and user ids are too long for a calling identity ({identity.Length} > {MaxLength}).", "identity-too-long");
        }

        return identity;
    }

    public static bool TryDecode(string? identity, [NotNullWhen(true)] out string? orgId, [NotNullWhen(true)] out string? userId)
    {
        orgId = null;
        userId = null;
        if (string.IsNullOrEmpty(identity) || identity.Length > MaxLength)
        {
            return false;
        }

        var split = identity.IndexOf(Separator, StringComparison.Ordinal);
        if (split <= 0
            || !TryDecodePart(identity[..split], out var org)
            || !TryDecodePart(identity[(split + Separator.Length)..], out var user))
        {
            return false;
        }

        orgId = org;
        userId = user;
        return true;
    }

    private static string EncodePart(string value)
    {
        StrictUtf8.GetByteCount(value); // throws on a lone surrogate, which runes would silently replace
        var builder = new StringBuilder(value.Length);
        var bytes = new byte[4];
        foreach (var rune in value.EnumerateRunes())
        {
            if (rune.IsAscii && char.IsAsciiLetterOrDigit((char)rune.Value))
            {
                builder.Append((char)rune.Value);
                continue;
            }

            var count = rune.EncodeToUtf8(bytes);
            for (var i = 0; i < count; i++)
            {
                builder.Append('_').Append(bytes[i].ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }

    private static bool TryDecodePart(string part, [NotNullWhen(true)] out string? value)
    {
        value = null;
        if (part.Length == 0)
        {
            return false;
        }

        var bytes = new List<byte>(part.Length);
        for (var i = 0; i < part.Length; i++)
        {
            var c = part[i];
            if (char.IsAsciiLetterOrDigit(c))
            {
                bytes.Add((byte)c);
            }
            else if (c == '_' && i + 2 < part.Length && IsUpperHex(part[i + 1]) && IsUpperHex(part[i + 2]))
            {
                bytes.Add(Convert.ToByte(part.Substring(i + 1, 2), 16));
                i += 2;
            }
            else
            {
                return false;
            }
        }

        try
        {
            var decoded = StrictUtf8.GetString(bytes.ToArray());
            // Only the canonical spelling decodes, so each user has exactly one identity.
            if (EncodePart(decoded) != part)
            {
                return false;
            }

            value = decoded;
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static bool IsUpperHex(char c) => char.IsAsciiDigit(c) || c is >= 'A' and <= 'F';
}
