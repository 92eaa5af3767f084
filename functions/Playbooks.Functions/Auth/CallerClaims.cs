using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Playbooks.Calling;
using Playbooks.Calling.Identity;
using Playbooks.Calling.Storage;

namespace Playbooks.Functions.Auth;

/// <summary>What a token says about its caller: the caller, or why there is none.</summary>
public sealed record CallerReading(Caller? Caller, string? MalformedClaim = null, bool SupportDropped = false);

/// <summary>Reads the caller from raw Entra ID claim names (inbound claim mapping is off).</summary>
public static class CallerClaims
{
    /// <summary>
    /// The caller, with its org, user and tenant checked as Table Storage keys (they become keys); the Support role
    /// is kept only when the token comes from the configured support tenant.
    /// </summary>
    public static CallerReading Read(ClaimsPrincipal principal, AuthOptions options)
    {
        var orgClaim = principal.FindFirst(options.OrgClaim) ?? principal.FindFirst("tid");
        var userClaim = principal.FindFirst("oid") ?? principal.FindFirst("sub");
        var tenantId = principal.FindFirst("tid")?.Value;
        if (string.IsNullOrWhiteSpace(orgClaim?.Value) || string.IsNullOrWhiteSpace(userClaim?.Value))
        {
            return new CallerReading(null);
        }

        foreach (var (claim, value) in new[] { (orgClaim.Type, orgClaim.Value), (userClaim.Type, userClaim.Value), ("tid", tenantId) })
        {
            if (value is not null && !TableKeys.IsValid(value))
            {
                return new CallerReading(null, claim);
            }
        }

        var roles = principal.FindAll("roles").Select(c => c.Value).Where(AppRoles.All.Contains).ToHashSet(StringComparer.Ordinal);
        var supportDropped = roles.Contains(AppRoles.Support) && !IsSupportTenant(tenantId, options.SupportTenantId);
        if (supportDropped)
        {
            roles.Remove(AppRoles.Support);
        }

        var name = principal.FindFirst("name")?.Value ?? principal.FindFirst("preferred_username")?.Value ?? userClaim.Value;
        return new CallerReading(new Caller(orgClaim.Value, userClaim.Value, name, roles) { TenantId = tenantId, Email = EmailOf(principal) },
            SupportDropped: supportDropped);
    }

    /// <summary>The first of email, preferred_username and upn that looks like an address; it matches people an admin added ahead of sign-in.</summary>
    private static string? EmailOf(ClaimsPrincipal principal) =>
        new[] { "email", "preferred_username", "upn" }
            .Select(type => principal.FindFirst(type)?.Value?.Trim())
            .FirstOrDefault(value => value is { Length: > 2 and <= Validation.MaxEmailLength } && value.IndexOf('@') > 0);

    private static bool IsSupportTenant(string? tenantId, string? supportTenantId) =>
        Guid.TryParse(tenantId, out var tenant) && Guid.TryParse(supportTenantId, out var support) && tenant == support;

    /// <summary>The caller the pipeline authenticated for this request.</summary>
    public static Caller GetCaller(this HttpRequest request) =>
        request.HttpContext.Items[typeof(Caller)] as Caller
        ?? throw new InvalidOperationException("No authenticated caller: the function allows anonymous access but asked for the caller.");
}
