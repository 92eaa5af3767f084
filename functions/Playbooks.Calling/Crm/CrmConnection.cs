namespace Playbooks.Calling.Crm;

/// <summary>
/// An org's CRM setting. It never holds the client secret: that lives in the CRM Key Vault (or
/// <c>Crm:Secrets:&lt;name&gt;</c> in configuration) under a name composed from the org id.
/// </summary>
public sealed record CrmConnection
{
    public required string OrgId { get; init; }

    public CrmProvider Provider { get; init; } = CrmProvider.None;

    /// <summary>
    /// Salesforce: the org's My Domain login URL (e.g. https://acme.my.salesforce.com), where the token is requested.
    /// Dynamics: the environment URL (e.g. https://acme.crm.dynamics.com), which is also the token's scope.
    /// </summary>
    public string? InstanceUrl { get; init; }

    /// <summary>Dynamics only: the Entra tenant (id or domain) of the app registration.</summary>
    public string? TenantId { get; init; }

    /// <summary>The Salesforce connected app's consumer key, or the Entra app registration's client id.</summary>
    public string? ClientId { get; init; }

    /// <summary>The secret's name, always composed from the org id: no setting can point at another secret.</summary>
    public string ClientSecretName => CrmSecretNames.ClientSecret(OrgId);

    /// <summary>The stored row's ETag; null before the first save.</summary>
    public string? Version { get; init; }

    public static CrmConnection NoneFor(string orgId) => new() { OrgId = orgId };
}
