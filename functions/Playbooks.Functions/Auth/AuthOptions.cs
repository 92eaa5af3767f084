namespace Playbooks.Functions.Auth;

/// <summary>How a validated Entra ID token maps onto a Playbooks caller.</summary>
public sealed class AuthOptions
{
    public const string Section = "Auth";

    /// <summary>The claim that names the Playbooks org; the tenant id (tid) is used when it is absent.</summary>
    public string OrgClaim { get; set; } = "org_id";
}
