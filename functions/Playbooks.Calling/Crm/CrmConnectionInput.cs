using System.Text.RegularExpressions;

namespace Playbooks.Calling.Crm;

/// <summary>An admin's CRM setting as sent to <c>PUT /api/admin/crm</c>.</summary>
public sealed record CrmConnectionInput
{
    public string? Provider { get; init; }

    public string? InstanceUrl { get; init; }

    public string? TenantId { get; init; }

    public string? ClientId { get; init; }

    public string? ClientSecretName { get; init; }

    /// <summary>Never accepted: present only to refuse a secret sent by mistake, rather than drop it silently.</summary>
    public string? ClientSecret { get; init; }
}

public static partial class CrmConnectionValidation
{
    /// <summary>The setting to store, or a 400 naming the first field at fault.</summary>
    public static Result<CrmConnection> Validate(string orgId, CrmConnectionInput input)
    {
        if (input.ClientSecret is not null)
        {
            return Failure.Invalid("clientSecret",
                "Secrets are never stored here: put the client secret in Key Vault and give its name in clientSecretName.", "secret-not-accepted");
        }
        if (!CrmProviderNames.TryParse(input.Provider, out var provider))
        {
            return Failure.Invalid("provider", "provider must be one of none, salesforce, dynamics.");
        }
        if (provider == CrmProvider.None)
        {
            return CrmConnection.NoneFor(orgId);
        }
        var url = BaseUrl(input.InstanceUrl);
        if (url is null)
        {
            return Failure.Invalid("instanceUrl", provider == CrmProvider.Salesforce
                ? "instanceUrl must be the org's My Domain URL, e.g. https://acme.my.salesforce.com (https, no path)."
                : "instanceUrl must be the environment URL, e.g. https://acme.crm.dynamics.com (https, no path).");
        }
        string? tenantId = null;
        if (provider == CrmProvider.Dynamics)
        {
            tenantId = input.TenantId?.Trim();
            if (string.IsNullOrEmpty(tenantId) || !(Guid.TryParse(tenantId, out _) || TenantDomain().IsMatch(tenantId)))
            {
                return Failure.Invalid("tenantId", "tenantId must be the Entra tenant id (a GUID) or its domain, e.g. contoso.onmicrosoft.com.");
            }
        }
        var clientId = input.ClientId?.Trim();
        if (string.IsNullOrEmpty(clientId) || clientId.Length > 255
            || (provider == CrmProvider.Dynamics && !Guid.TryParse(clientId, out _)))
        {
            return Failure.Invalid("clientId", provider == CrmProvider.Salesforce
                ? "clientId must be the connected app's consumer key."
                : "clientId must be the app registration's client id (a GUID).");
        }
        var secretName = input.ClientSecretName?.Trim();
        if (string.IsNullOrEmpty(secretName) || !SecretName().IsMatch(secretName))
        {
            return Failure.Invalid("clientSecretName", "clientSecretName must be a Key Vault secret name: 1-127 letters, digits and dashes.");
        }
        return new CrmConnection
        {
            OrgId = orgId,
            Provider = provider,
            InstanceUrl = url,
            TenantId = tenantId,
            ClientId = clientId,
            ClientSecretName = secretName,
        };
    }

    /// <summary>scheme://host[:port] for an https URL (http only for a CRM stub on this machine), else null.</summary>
    private static string? BaseUrl(string? value)
    {
        if (!Uri.TryCreate(value?.Trim(), UriKind.Absolute, out var uri)
            || !(uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback))
            || uri.AbsolutePath != "/" || uri.Query.Length > 0 || uri.Fragment.Length > 0 || uri.UserInfo.Length > 0)
        {
            return null;
        }
        return uri.GetLeftPart(UriPartial.Authority);
    }

    [GeneratedRegex("^[0-9A-Za-z-]{1,127}$")]
    private static partial Regex SecretName();

    [GeneratedRegex(@"^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)+$")]
    private static partial Regex TenantDomain();
}
