using System.Collections.Concurrent;
using Azure;
using Azure.Security.KeyVault.Secrets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Playbooks.Calling.Crm;

/// <summary>
/// Reads an org's CRM client secret, always by the name composed from the org id
/// (<see cref="CrmSecretNames.ClientSecret"/>): from configuration (<c>Crm:Secrets:&lt;name&gt;</c>, for local runs and
/// tests) or else from the CRM Key Vault (<c>Crm:KeyVaultUri</c>), never from the app's own vault.
/// </summary>
public class CrmSecrets(IConfiguration configuration, IOptions<CrmOptions> options, TimeProvider clock, SecretClient? crmVault = null)
{
    private readonly ConcurrentDictionary<string, (string Value, DateTimeOffset Until)> _cache = new(StringComparer.Ordinal);

    /// <summary>The org's client secret; a <see cref="CrmException"/> saying which secret when it is missing or unreadable.</summary>
    public virtual async Task<string> GetAsync(string orgId, CancellationToken cancellationToken)
    {
        var name = CrmSecretNames.ClientSecret(orgId);
        if (configuration[$"Crm:Secrets:{name}"] is { Length: > 0 } configured)
        {
            return configured;
        }
        if (crmVault is null)
        {
            throw new CrmException(CrmErrorKind.Permanent,
                $"The client secret '{name}' is not configured: set Crm:KeyVaultUri, or Crm:Secrets:{name} for a local run.") { StopsOrg = true };
        }
        var now = clock.GetUtcNow();
        if (_cache.TryGetValue(name, out var cached) && cached.Until > now)
        {
            return cached.Value;
        }
        try
        {
            var secret = await crmVault.GetSecretAsync(name, cancellationToken: cancellationToken);
            _cache[name] = (secret.Value.Value, now + options.Value.SecretCacheDuration);
            return secret.Value.Value;
        }
        catch (RequestFailedException e) when (e.Status is 403 or 404)
        {
            throw new CrmException(CrmErrorKind.Permanent,
                e.Status == 404
                    ? $"The client secret '{name}' is not in the CRM Key Vault."
                    : $"The app may not read the secret '{name}' in the CRM Key Vault.", inner: e) { StopsOrg = true };
        }
        catch (RequestFailedException e)
        {
            throw new CrmException(CrmErrorKind.Transient, $"The CRM Key Vault did not answer for '{name}': {e.Status}.", inner: e);
        }
    }
}
