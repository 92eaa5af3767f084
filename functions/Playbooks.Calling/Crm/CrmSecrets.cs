using System.Collections.Concurrent;
using Azure;
using Azure.Security.KeyVault.Secrets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Playbooks.Calling.Crm;

/// <summary>
/// Reads an org's CRM client secret by name: from configuration (<c>Crm:Secrets:&lt;name&gt;</c>, for local runs and
/// tests) or else from Key Vault (<c>KeyVault:Uri</c>) with the app's managed identity.
/// </summary>
public class CrmSecrets(IConfiguration configuration, IOptions<CrmOptions> options, TimeProvider clock, SecretClient? vault = null)
{
    private readonly ConcurrentDictionary<string, (string Value, DateTimeOffset Until)> _cache = new(StringComparer.Ordinal);

    /// <summary>The secret's value; a <see cref="CrmException"/> saying which secret when it is missing or unreadable.</summary>
    public virtual async Task<string> GetAsync(string? name, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new CrmException(CrmErrorKind.Permanent, "The CRM setting names no client secret.") { StopsOrg = true };
        }
        if (configuration[$"Crm:Secrets:{name}"] is { Length: > 0 } configured)
        {
            return configured;
        }
        if (vault is null)
        {
            throw new CrmException(CrmErrorKind.Permanent,
                $"The client secret '{name}' is not configured: set KeyVault:Uri, or Crm:Secrets:{name} for a local run.") { StopsOrg = true };
        }
        var now = clock.GetUtcNow();
        if (_cache.TryGetValue(name, out var cached) && cached.Until > now)
        {
            return cached.Value;
        }
        try
        {
            var secret = await vault.GetSecretAsync(name, cancellationToken: cancellationToken);
            _cache[name] = (secret.Value.Value, now + options.Value.SecretCacheDuration);
            return secret.Value.Value;
        }
        catch (RequestFailedException e) when (e.Status is 403 or 404)
        {
            throw new CrmException(CrmErrorKind.Permanent,
                e.Status == 404
                    ? $"The client secret '{name}' is not in Key Vault."
                    : $"The app may not read the secret '{name}' in Key Vault.", inner: e) { StopsOrg = true };
        }
        catch (RequestFailedException e)
        {
            throw new CrmException(CrmErrorKind.Transient, $"Key Vault did not answer for '{name}': {e.Status}.", inner: e);
        }
    }
}
