using System.Globalization;
using System.Text.RegularExpressions;

namespace Playbooks.Calling.Activity;

/// <summary>Parses Twilio's RFC 2822 <c>Timestamp</c> ("Thu, 26 Nov 2026 04:33:08 +0000"); ISO 8601 is accepted too.</summary>
public static partial class TwilioTimestamp
{
    private static readonly string[] Formats =
    [
        "ddd, d MMM yyyy HH:mm:ss zzz",
        "d MMM yyyy HH:mm:ss zzz",
        "ddd, d MMM yyyy HH:mm zzz",
    ];

    public static bool TryParse(string? text, out DateTimeOffset value)
    {
        value = default;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var normalized = NumericZone().Replace(text.Trim(), "$1$2:$3");
        normalized = NamedUtcZone().Replace(normalized, "+00:00");
        if (DateTimeOffset.TryParseExact(normalized, Formats, CultureInfo.InvariantCulture, DateTimeStyles.None, out value))
        {
            return true;
        }

        return DateTimeOffset.TryParseExact(
            text.Trim(), "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", CultureInfo.InvariantCulture, DateTimeStyles.None, out value);
    }

    [GeneratedRegex(@"([+-])(\d{2})(\d{2})$")]
    private static partial Regex NumericZone();

    [GeneratedRegex(@"\b(GMT|UT|UTC|Z)$")]
    private static partial Regex NamedUtcZone();
}
