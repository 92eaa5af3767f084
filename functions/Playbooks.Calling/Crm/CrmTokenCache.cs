using System.Collections.Concurrent;

namespace Playbooks.Calling.Crm;

/// <summary>A bearer token and, for Salesforce, the instance it is valid for.</summary>
public sealed record CrmToken(string AccessToken, DateTimeOffset? ExpiresAt, string? InstanceUrl = null);

/// <summary>
/// Reuses each org's Salesforce token until it expires or the CRM answers 401. Entries are per org and connection, with no
/// lock shared between orgs: two runs racing for a new token both fetch one, which is harmless.
/// </summary>
public class CrmTokenCache(TimeProvider clock)
{
    private static readonly TimeSpan ExpiryMargin = TimeSpan.FromMinutes(2);
    private readonly ConcurrentDictionary<string, CrmToken> _tokens = new(StringComparer.Ordinal);

    public virtual async Task<CrmToken> GetAsync(string key, bool refresh, Func<Task<CrmToken>> fetch)
    {
        if (!refresh && _tokens.TryGetValue(key, out var held)
            && (held.ExpiresAt is null || held.ExpiresAt.Value - ExpiryMargin > clock.GetUtcNow()))
        {
            return held;
        }
        var token = await fetch();
        _tokens[key] = token;
        return token;
    }

    /// <summary>The key for a connection: a changed URL, client or secret name never reuses the old token.</summary>
    public static string KeyOf(CrmConnection c) =>
        string.Join('|', c.OrgId, c.Provider.ToWire(), c.InstanceUrl, c.TenantId, c.ClientId, c.ClientSecretName);
}
