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
    /// <summary>Longest values stored, so the setting and its audit entry always fit a table row.</summary>
    public const int MaxTenantIdLength = 253;
    public const int MaxClientIdLength = 255;
    public const int MaxProviderLength = 16;

    /// <summary>The setting to store, or a 400 naming the first field at fault.</summary>
    public static Result<CrmConnection> Validate(string orgId, CrmConnectionInput input, bool allowLoopbackHttp = false)
    {
        if (TooLong(input) is { } tooLong)
        {
            return tooLong;
        }
        if (input.ClientSecret is not null)
        {
            return Failure.Invalid("clientSecret",
                $"Secrets are never stored with the connection: send the client secret to PUT /api/admin/crm/secret, which writes it to the CRM Key Vault as {CrmSecretNames.ClientSecret(orgId)}.", "secret-not-accepted");
        }
        if (!CrmProviderNames.TryParse(input.Provider, out var provider))
        {
            return Failure.Invalid("provider", "provider must be one of none, salesforce, dynamics.");
        }
        if (provider == CrmProvider.None)
        {
            return CrmConnection.NoneFor(orgId);
        }
        var url = CrmHosts.AllowedBaseUrl(provider, input.InstanceUrl, allowLoopbackHttp);
        if (url is null)
        {
            return Failure.Invalid("instanceUrl", provider == CrmProvider.Salesforce
                ? "instanceUrl must be the org's My Domain URL on salesforce.com, e.g. https://acme.my.salesforce.com (https, no path, no port)."
                : "instanceUrl must be the environment URL on dynamics.com, e.g. https://acme.crm.dynamics.com (https, no path, no port).",
                "crm-host-not-allowed");
        }
        var secretName = CrmSecretNames.ClientSecret(orgId);
        if (input.ClientSecretName is { } given && given.Trim() != secretName)
        {
            return Failure.Invalid("clientSecretName",
                $"The client secret's name is fixed for this org: put it in the CRM Key Vault as {secretName} and leave clientSecretName out.",
                "secret-name-not-allowed");
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
        if (string.IsNullOrEmpty(clientId) || (provider == CrmProvider.Dynamics && !Guid.TryParse(clientId, out _)))
        {
            return Failure.Invalid("clientId", provider == CrmProvider.Salesforce
                ? "clientId must be the connected app's consumer key."
                : "clientId must be the app registration's client id (a GUID).");
        }
        return new CrmConnection
        {
            OrgId = orgId,
            Provider = provider,
            InstanceUrl = url,
            TenantId = tenantId,
            ClientId = clientId,
        };
    }

    /// <summary>The first string longer than any valid value could be, refused before anything else looks at it.</summary>
    private static Failure? TooLong(CrmConnectionInput input)
    {
        (string Field, string? Value, int Max)[] limits =
        [
            ("provider", input.Provider, MaxProviderLength),
            ("instanceUrl", input.InstanceUrl, CrmHosts.MaxUrlLength),
            ("tenantId", input.TenantId, MaxTenantIdLength),
            ("clientId", input.ClientId, MaxClientIdLength),
            ("clientSecretName", input.ClientSecretName, 127),
        ];
        foreach (var (field, value, max) in limits)
        {
            if (value is not null && value.Length > max)
            {
                return Failure.Invalid(field, $"{field} is longer than {max} characters.", "too-long");
            }
        }
        return null;
    }

    [GeneratedRegex(@"^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$")]
    private static partial Regex TenantDomain();
}
