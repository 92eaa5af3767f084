using Microsoft.Extensions.Options;

namespace Playbooks.Functions.Auth;

/// <summary>How a validated Entra ID token maps onto a Playbooks caller.</summary>
public sealed class AuthOptions
{
    public const string Section = "Auth";

    /// <summary>The claim that names the Playbooks org; the tenant id (tid) is used when it is absent.</summary>
    public string OrgClaim { get; set; } = "org_id";

    /// <summary>
    /// The vendor's Entra tenant (a GUID): the Support role counts only in tokens whose tid is this tenant, so a
    /// customer's admin cannot make themselves Support. Unset, no token is Support.
    /// </summary>
    public string? SupportTenantId { get; set; }
}

/// <summary>Start-up checks of the "Auth" section.</summary>
internal sealed class AuthOptionsValidation : IValidateOptions<AuthOptions>
{
    public ValidateOptionsResult Validate(string? name, AuthOptions options) =>
        string.IsNullOrEmpty(options.SupportTenantId) || Guid.TryParse(options.SupportTenantId, out _)
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"{AuthOptions.Section}:{nameof(AuthOptions.SupportTenantId)} must be the vendor's Entra tenant id (a GUID).");
}

/// <summary>The Entra tenant whose app registration issues our tokens ("AzureAd" section).</summary>
public sealed class EntraTenantOptions
{
    public const string Section = "AzureAd";

    public string? TenantId { get; set; }
}

/// <summary>
/// A tenant GUID only: "common", "organizations" or "consumers" would let Microsoft.Identity.Web trust
/// tokens from any Entra tenant or personal account.
/// </summary>
internal sealed class EntraTenantOptionsValidation : IValidateOptions<EntraTenantOptions>
{
    public ValidateOptionsResult Validate(string? name, EntraTenantOptions options) =>
        Guid.TryParse(options.TenantId, out var tenant) && tenant != Guid.Empty
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(
                $"{EntraTenantOptions.Section}:{nameof(EntraTenantOptions.TenantId)} must be the Entra tenant id (a GUID), not '{options.TenantId}': " +
                "common, organizations and consumers are refused.");
}
