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
    /// <summary>Whether secrets can be written: only to a CRM Key Vault (or the dev server's stand-in for one).</summary>
    public virtual bool CanWrite => crmVault is not null;

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

    /// <summary>
    /// Writes the org's client secret to the CRM Key Vault under its fixed name and forgets the cached value, so the
    /// next sync signs in with it. The value is never logged or returned.
    /// </summary>
    public virtual async Task<Result<CrmSecretStatus>> SetAsync(string orgId, string value, CancellationToken cancellationToken)
    {
        var name = CrmSecretNames.ClientSecret(orgId);
        if (crmVault is null)
        {
            return new Failure(FailureKind.Unavailable, "crm-vault-not-configured",
                "No CRM Key Vault is configured (Crm:KeyVaultUri), so the client secret cannot be stored.");
        }
        try
        {
            await crmVault.SetSecretAsync(name, value, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 403)
        {
            return new Failure(FailureKind.Unavailable, "crm-vault-forbidden",
                $"The app may not write the secret '{name}' in the CRM Key Vault: it needs the Key Vault Secrets Officer role there.");
        }
        catch (RequestFailedException e)
        {
            return new Failure(FailureKind.Unavailable, "crm-vault-unavailable", $"The CRM Key Vault did not store '{name}': {e.Status}.");
        }
        _cache.TryRemove(name, out _);
        return new CrmSecretStatus(name, true);
    }

    /// <summary>Whether the org's client secret exists (in configuration or the vault); null when the vault cannot say.</summary>
    public virtual async Task<CrmSecretStatus> StatusAsync(string orgId, CancellationToken cancellationToken)
    {
        var name = CrmSecretNames.ClientSecret(orgId);
        if (configuration[$"Crm:Secrets:{name}"] is { Length: > 0 })
        {
            return new CrmSecretStatus(name, true);
        }
        if (crmVault is null)
        {
            return new CrmSecretStatus(name, false);
        }
        try
        {
            var secret = await crmVault.GetSecretAsync(name, cancellationToken: cancellationToken);
            return new CrmSecretStatus(name, secret.Value.Value is { Length: > 0 });
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return new CrmSecretStatus(name, false);
        }
        catch (RequestFailedException)
        {
            return new CrmSecretStatus(name, null);
        }
    }
}

/// <summary>The org's client secret as admins may see it: its name and whether it is set (null: the vault did not say).</summary>
public sealed record CrmSecretStatus(string ClientSecretName, bool? IsSet);
