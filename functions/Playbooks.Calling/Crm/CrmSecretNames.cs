using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Playbooks.Calling.Crm;

/// <summary>
/// The Key Vault secret that holds an org's CRM client secret. The app composes it from the org id, so no setting
/// can make it read another org's secret, or any secret of the app.
/// </summary>
public static partial class CrmSecretNames
{
    private const string Prefix = "crm-";
    private const string Suffix = "-client-secret";
    private const int MaxReadablePart = 40;

    /// <summary>
    /// <c>crm-{org}-client-secret</c>. An org id that is already a lowercase name of letters, digits and single dashes is
    /// used as is; any other is lowercased, stripped to those characters and followed by <c>--</c> and a hash of the
    /// exact id. A plain id never contains <c>--</c>, so the two forms cannot meet, and the hash keeps
    /// ids apart that differ only in case or punctuation.
    /// </summary>
    public static string ClientSecret(string orgId) => Prefix + OrgPart(orgId) + Suffix;

    private static string OrgPart(string orgId)
    {
        if (orgId.Length <= MaxReadablePart && PlainId().IsMatch(orgId))
        {
            return orgId;
        }
        var readable = new StringBuilder();
        foreach (var c in orgId.ToLowerInvariant())
        {
            if (readable.Length == MaxReadablePart)
            {
                break;
            }
            if (char.IsAsciiLetterOrDigit(c))
            {
                readable.Append(c);
            }
            else if (readable.Length > 0 && readable[^1] != '-')
            {
                readable.Append('-');
            }
        }
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(orgId)))[..20];
        var head = readable.ToString().Trim('-');
        return (head.Length > 0 ? head : "x") + "--" + hash;
    }

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex PlainId();
}
