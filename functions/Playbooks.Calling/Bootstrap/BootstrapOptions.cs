using System.ComponentModel.DataAnnotations;
using Playbooks.Calling.Storage;

namespace Playbooks.Calling.Bootstrap;

/// <summary>
/// The first org and its first admin (section "Bootstrap"), created at start-up so a fresh deployment needs no hand
/// edits. Leave <see cref="OrgId"/> and <see cref="AdminObjectId"/> empty to turn it off.
/// </summary>
public sealed class BootstrapOptions : IValidatableObject
{
    public const string Section = "Bootstrap";

    /// <summary>
    /// Must equal the org the admin's token carries: the <c>org_id</c> claim when the app registration issues it,
    /// else the token's tenant id (<c>tid</c>). Defaults to <see cref="AdminTenantId"/> when empty.
    /// </summary>
    public string? OrgId { get; set; }

    public string? OrgName { get; set; }

    /// <summary>The first admin's Entra object id (<c>oid</c>), a GUID.</summary>
    public string? AdminObjectId { get; set; }

    /// <summary>The Entra tenant the first admin signs in from (a GUID); optional.</summary>
    public string? AdminTenantId { get; set; }

    /// <summary>How long the first retry waits after a failed start-up attempt; each later one waits twice as long.</summary>
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long the start-up retries wait at most between attempts while storage is unreachable.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(5);

    public bool Enabled => !string.IsNullOrWhiteSpace(EffectiveOrgId) || !string.IsNullOrWhiteSpace(AdminObjectId);

    public string? EffectiveOrgId => string.IsNullOrWhiteSpace(OrgId) ? AdminTenantId?.Trim() : OrgId.Trim();

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.IsNullOrWhiteSpace(AdminTenantId) && !Guid.TryParse(AdminTenantId, out _))
        {
            yield return new ValidationResult("Bootstrap:AdminTenantId must be a GUID (the Entra tenant id).", [nameof(AdminTenantId)]);
        }
        if (!Enabled)
        {
            yield break;
        }
        if (!TableKeys.IsValid(EffectiveOrgId))
        {
            yield return new ValidationResult(
                "Bootstrap:OrgId is required (or Bootstrap:AdminTenantId) and may not contain / \\ # ? or control characters.", [nameof(OrgId)]);
        }
        if (string.IsNullOrWhiteSpace(OrgName) || OrgName.Trim().Length > Validation.MaxNameLength)
        {
            yield return new ValidationResult($"Bootstrap:OrgName is required, at most {Validation.MaxNameLength} characters.", [nameof(OrgName)]);
        }
        if (!Guid.TryParse(AdminObjectId, out _))
        {
            yield return new ValidationResult("Bootstrap:AdminObjectId must be the first admin's Entra object id (a GUID).", [nameof(AdminObjectId)]);
        }
        if (FirstRetryDelay <= TimeSpan.Zero || MaxRetryDelay < FirstRetryDelay)
        {
            yield return new ValidationResult("Bootstrap:FirstRetryDelay must be positive and at most Bootstrap:MaxRetryDelay.", [nameof(MaxRetryDelay)]);
        }
    }
}
