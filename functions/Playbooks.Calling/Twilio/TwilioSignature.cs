using Microsoft.Extensions.Options;
using Twilio.Security;

namespace Playbooks.Calling.Twilio;

/// <summary>Checks X-Twilio-Signature on a webhook request.</summary>
public class TwilioSignature(IOptions<TwilioOptions> options)
{
    public const string HeaderName = "X-Twilio-Signature";

    private readonly RequestValidator _validator = new(options.Value.AuthToken);

    private readonly string _publicBaseUrl = options.Value.PublicBaseUrl;

    /// <summary>
    /// True when <paramref name="signatureHeader"/> signs the form for the URL Twilio called. That URL is
    /// rebuilt from <see cref="TwilioOptions.PublicBaseUrl"/> and the request's path and query exactly as
    /// received (still percent-encoded), never from the Host header, which a proxy may have rewritten.
    /// </summary>
    public virtual bool IsValid(string pathAndQuery, IReadOnlyDictionary<string, string> form, string? signatureHeader)
    {
        if (string.IsNullOrWhiteSpace(signatureHeader))
        {
            return false;
        }

        var url = PublicUrl.Combine(_publicBaseUrl, pathAndQuery);
        return _validator.Validate(url, new Dictionary<string, string>(form, StringComparer.Ordinal), signatureHeader);
    }
}

/// <summary>Joins the configured public base URL (which may carry a path prefix) and a path.</summary>
public static class PublicUrl
{
    public static string Combine(string baseUrl, string pathAndQuery) =>
        baseUrl.TrimEnd('/') + (pathAndQuery.StartsWith('/') ? pathAndQuery : "/" + pathAndQuery);
}
