using System.Text.RegularExpressions;

namespace Playbooks.Calling.Crm;

/// <summary>
/// Where a CRM request may go: https on port 443 to the provider's own domains (Salesforce: *.my.salesforce.com,
/// login.salesforce.com, test.salesforce.com; Dynamics: *.dynamics.com), matched label by label, never an IP
/// literal or a URL with a user. Plain http only to a loopback stub (localhost, 127.0.0.0/8, ::1), and only when the options allow it.
/// </summary>
public static partial class CrmHosts
{
    /// <summary>Longest instance URL accepted: a full DNS name (253) with its scheme and port.</summary>
    public const int MaxUrlLength = 300;

    /// <summary>scheme://host[:port] when <paramref name="value"/> is a base URL the provider may use, else null.</summary>
    public static string? AllowedBaseUrl(CrmProvider provider, string? value, bool allowLoopbackHttp)
    {
        if (value is null || value.Length > MaxUrlLength
            || !Uri.TryCreate(value.Trim(), UriKind.Absolute, out var uri)
            || uri.AbsolutePath != "/" || uri.Query.Length > 0 || uri.Fragment.Length > 0)
        {
            return null;
        }
        return IsAllowed(provider, uri, allowLoopbackHttp) ? uri.GetLeftPart(UriPartial.Authority) : null;
    }

    /// <summary>Whether a request to <paramref name="uri"/> may carry the provider's credentials or data.</summary>
    public static bool IsAllowed(CrmProvider provider, Uri uri, bool allowLoopbackHttp)
    {
        if (!uri.IsAbsoluteUri || uri.UserInfo.Length > 0)
        {
            return false;
        }
        if (uri.Scheme == Uri.UriSchemeHttp)
        {
            return allowLoopbackHttp && uri.IsLoopback;
        }
        if (uri.Scheme != Uri.UriSchemeHttps || uri.Port != 443 || uri.HostNameType != UriHostNameType.Dns)
        {
            return false;
        }
        var labels = uri.Host.Split('.');
        if (labels.Any(l => !DnsLabel().IsMatch(l)))
        {
            return false;
        }
        return provider switch
        {
            CrmProvider.Salesforce => uri.Host is "login.salesforce.com" or "test.salesforce.com" || EndsWith(labels, "my", "salesforce", "com"),
            CrmProvider.Dynamics => EndsWith(labels, "dynamics", "com"),
            _ => false,
        };
    }

    /// <summary>At least one label of its own in front of the whole <paramref name="suffix"/> labels.</summary>
    private static bool EndsWith(string[] labels, params string[] suffix) =>
        labels.Length > suffix.Length && labels.AsSpan(labels.Length - suffix.Length).SequenceEqual(suffix);

    [GeneratedRegex("^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$")]
    private static partial Regex DnsLabel();
}
