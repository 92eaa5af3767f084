using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Playbooks.Calling.Twilio;

/// <summary>
/// Checks X-Twilio-Signature on a webhook request: the Base64 HMAC-SHA1, keyed with the auth token, of the URL Twilio
/// called followed by every form parameter's name and value sorted by name (ordinal). Twilio signs some URLs with the
/// scheme's default port written out and some without, so the other form of the URL is tried when the first does not
/// match. Safe to call from many requests at once: nothing is shared but the key.
/// </summary>
public class TwilioSignature(IOptions<TwilioOptions> options)
{
    public const string HeaderName = "X-Twilio-Signature";

    private const int HashBytes = 20;

    // 20 bytes in Base64: 28 characters, the last one padding.
    private const int Base64Length = 28;

    private readonly byte[] _key = Encoding.UTF8.GetBytes(options.Value.AuthToken);

    private readonly string _publicBaseUrl = options.Value.PublicBaseUrl;

    /// <summary>
    /// True when <paramref name="signatureHeader"/> signs the form for the URL Twilio called. That URL is
    /// rebuilt from <see cref="TwilioOptions.PublicBaseUrl"/> and the request's path and query exactly as
    /// received (still percent-encoded), never from the Host header, which a proxy may have rewritten.
    /// </summary>
    public virtual bool IsValid(string pathAndQuery, IReadOnlyDictionary<string, string> form, string? signatureHeader)
    {
        if (string.IsNullOrWhiteSpace(signatureHeader) || signatureHeader.Length != Base64Length)
        {
            return false;
        }

        var url = PublicUrl.Combine(_publicBaseUrl, pathAndQuery);
        var names = form.Keys.ToArray();
        Array.Sort(names, StringComparer.Ordinal);
        return Matches(url, names, form, signatureHeader) || (OtherPortForm(url) is { } other && Matches(other, names, form, signatureHeader));
    }

    private bool Matches(string url, string[] sortedNames, IReadOnlyDictionary<string, string> form, string signatureHeader)
    {
        var data = new StringBuilder(url, url.Length + (sortedNames.Length * 32));
        foreach (var name in sortedNames)
        {
            data.Append(name).Append(form[name]);
        }

        Span<byte> hash = stackalloc byte[HashBytes];
        HMACSHA1.HashData(_key, Encoding.UTF8.GetBytes(data.ToString()), hash);
        Span<char> actual = stackalloc char[Base64Length];
        return Convert.TryToBase64Chars(hash, actual, out var written) && written == Base64Length
            && CryptographicOperations.FixedTimeEquals(MemoryMarshal.AsBytes(actual), MemoryMarshal.AsBytes(signatureHeader.AsSpan()));
    }

    /// <summary>The URL with its port removed when it names one, else with the scheme's default port added (null for another scheme).</summary>
    internal static string? OtherPortForm(string url)
    {
        var afterScheme = url.IndexOf("://", StringComparison.Ordinal);
        if (afterScheme <= 0) return null;
        var start = afterScheme + 3;
        var end = url.IndexOfAny(['/', '?', '#'], start);
        if (end < 0) end = url.Length;
        var authority = url.AsSpan(start, end - start);
        var colon = authority.LastIndexOf(':');
        if (colon >= 0 && colon > authority.LastIndexOf(']') && colon > authority.LastIndexOf('@'))
        {
            return string.Concat(url.AsSpan(0, start + colon), url.AsSpan(end));
        }

        var scheme = url.AsSpan(0, afterScheme);
        var port = scheme.Equals("https", StringComparison.OrdinalIgnoreCase) ? ":443"
            : scheme.Equals("http", StringComparison.OrdinalIgnoreCase) ? ":80"
            : null;
        return port is null ? null : string.Concat(url.AsSpan(0, end), port, url.AsSpan(end));
    }
}

public static class PublicUrl
{
    public static string Combine(string baseUrl, string pathAndQuery) =>
        baseUrl.TrimEnd('/') + (pathAndQuery.StartsWith('/') ? pathAndQuery : "/" + pathAndQuery);
}
