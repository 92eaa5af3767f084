using Playbooks.Calling.Audit;
using Playbooks.Calling.Identity;

namespace Playbooks.Calling.Crm;

/// <summary>
/// An admin sets the org's CRM client secret: it goes straight to the CRM Key Vault under the org's fixed name, is
/// audited without its value, and can afterwards only be replaced, never read back.
/// </summary>
public class CrmSecretService(CrmSecrets secrets, AuditService audit)
{
    public const int MaxLength = 1024;
    public const string AuditAction = "crm.secret-set";

    public virtual async Task<Result<CrmSecretStatus>> GetStatusAsync(Caller caller, CancellationToken cancellationToken = default)
    {
        if (RequireAdmin(caller) is { } denied)
        {
            return denied;
        }
        return await secrets.StatusAsync(caller.OrgId, cancellationToken);
    }

    public virtual async Task<Result<CrmSecretStatus>> SetAsync(Caller caller, string? clientSecret, CancellationToken cancellationToken = default)
    {
        if (RequireAdmin(caller) is { } denied)
        {
            return denied;
        }
        if (Validate(clientSecret) is { } invalid)
        {
            return invalid;
        }
        if (!secrets.CanWrite)
        {
            return new Failure(FailureKind.Unavailable, "crm-vault-not-configured",
                "No CRM Key Vault is configured (Crm:KeyVaultUri), so the client secret cannot be stored.");
        }
        var name = CrmSecretNames.ClientSecret(caller.OrgId);
        // The audit names the secret, never its value.
        return await audit.RecordChangeAsync(caller, caller.OrgId, AuditAction, CrmAdminService.AuditTarget, caller.OrgId,
            null, new { ClientSecretName = name },
            () => secrets.SetAsync(caller.OrgId, clientSecret!, cancellationToken), cancellationToken);
    }

    /// <summary>1–1024 printable ASCII characters without spaces: what Salesforce and Entra ID issue as client secrets.</summary>
    public static Failure? Validate(string? clientSecret)
    {
        if (string.IsNullOrEmpty(clientSecret))
        {
            return Failure.Invalid("clientSecret", "Enter the client secret.", "secret-required");
        }
        if (clientSecret.Length > MaxLength)
        {
            return Failure.Invalid("clientSecret", $"The client secret is longer than {MaxLength} characters.", "secret-too-long");
        }
        if (clientSecret.Any(c => c is < '!' or > '~'))
        {
            return Failure.Invalid("clientSecret",
                "The client secret may contain only printable ASCII characters without spaces; check that it was copied whole.", "secret-invalid-characters");
        }
        return null;
    }

    private static Failure? RequireAdmin(Caller caller) =>
        caller.IsAdmin ? null : Failure.Forbidden("requires-admin", "Only admins can manage the CRM connection.");
}
