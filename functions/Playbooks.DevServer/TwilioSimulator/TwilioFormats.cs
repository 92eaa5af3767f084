using System.Globalization;

namespace Playbooks.DevServer.TwilioSimulator;

/// <summary>How Twilio spells SIDs and dates on the wire.</summary>
internal static class TwilioFormats
{
    public const string ApiVersion = "2010-04-01";

    /// <summary>A SID: two-letter prefix (CA call, RE recording) and 32 lower-case hex digits.</summary>
    public static string NewSid(string prefix) => prefix + Guid.NewGuid().ToString("N");

    /// <summary>RFC 2822 in UTC, as in status callbacks' Timestamp: "Thu, 26 Nov 2026 04:30:00 +0000".</summary>
    public static string Rfc2822(DateTimeOffset value) =>
        value.ToUniversalTime().ToString("ddd, dd MMM yyyy HH:mm:ss '+0000'", CultureInfo.InvariantCulture);

    public static string Seconds(int value) => value.ToString(CultureInfo.InvariantCulture);
}
