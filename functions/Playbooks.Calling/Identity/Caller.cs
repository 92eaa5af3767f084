namespace Playbooks.Calling.Identity;

/// <summary>The signed-in user a request acts for. The org always comes from the token, never from the request.</summary>
public sealed record Caller(string OrgId, string UserId, string DisplayName, IReadOnlySet<string> Roles)
{
    /// <summary>The Entra tenant that issued the token (tid), when it has one.</summary>
    public string? TenantId { get; init; }

    /// <summary>The sign-in address (email, preferred_username or upn claim), when the token has one that looks like an address.</summary>
    public string? Email { get; init; }

    public bool IsInRole(string role) => Roles.Contains(role);

    public bool IsAdmin => IsInRole(AppRoles.Admin);

    public bool IsManager => IsInRole(AppRoles.Manager);

    public bool IsSupport => IsInRole(AppRoles.Support);
}
