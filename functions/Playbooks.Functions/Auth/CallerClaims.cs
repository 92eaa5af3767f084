using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Playbooks.Calling.Identity;

namespace Playbooks.Functions.Auth;

/// <summary>Reads the caller from raw Entra ID claim names (inbound claim mapping is off).</summary>
public static class CallerClaims
{
    public static Caller? From(ClaimsPrincipal principal, string orgClaim)
    {
        var orgId = principal.FindFirst(orgClaim)?.Value ?? principal.FindFirst("tid")?.Value;
        var userId = principal.FindFirst("oid")?.Value ?? principal.FindFirst("sub")?.Value;
        if (string.IsNullOrWhiteSpace(orgId) || string.IsNullOrWhiteSpace(userId))
        {
            return null;
        }

        var roles = principal.FindAll("roles").Select(c => c.Value).Where(AppRoles.All.Contains).ToHashSet(StringComparer.Ordinal);
        var name = principal.FindFirst("name")?.Value ?? principal.FindFirst("preferred_username")?.Value ?? userId;
        return new Caller(orgId, userId, name, roles);
    }

    /// <summary>The caller the pipeline authenticated for this request.</summary>
    public static Caller GetCaller(this HttpRequest request) =>
        request.HttpContext.Items[typeof(Caller)] as Caller
        ?? throw new InvalidOperationException("No authenticated caller: the function allows anonymous access but asked for the caller.");
}
