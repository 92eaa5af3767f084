using System.IdentityModel.Tokens.Jwt;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Playbooks.Functions.Auth;

/// <summary>
/// Lets tokens from the vendor's support tenant (<c>Auth:SupportTenantId</c>) through issuer validation, next to the customer
/// tenant the API is configured for. Such a token still needs the API's audience and Entra's signature (Entra signs every
/// tenant's tokens with the same keys); which roles count is decided later, in <see cref="CallerClaims"/>.
/// </summary>
public static class SupportTenantIssuer
{
    /// <summary>Wraps <paramref name="inner"/>: the support tenant's own v2 or v1 issuer, with a matching tid, is accepted.</summary>
    public static IssuerValidator Wrap(IssuerValidator? inner, string instance, string supportTenantId) =>
        (issuer, token, parameters) =>
        {
            // Any other token goes through the library's own check, unchanged.
            return IsSupportIssuer(issuer, TenantOf(token), instance, supportTenantId)
                ? issuer
                : inner is not null ? inner(issuer, token, parameters) : Default(issuer, token, parameters);
        };

    /// <summary>The library's own check (the configured tenant's issuer from the metadata), without calling back into this one.</summary>
    private static string Default(string issuer, SecurityToken token, TokenValidationParameters parameters)
    {
        var plain = parameters.Clone();
        plain.IssuerValidator = null;
        return Validators.ValidateIssuer(issuer, token, plain);
    }

    public static bool IsSupportIssuer(string? issuer, string? tenantId, string instance, string supportTenantId)
    {
        if (!Guid.TryParse(supportTenantId, out var support) || !Guid.TryParse(tenantId, out var tenant) || tenant != support)
        {
            return false;
        }
        var v2 = $"{instance.TrimEnd('/')}/{support:D}/v2.0";
        var v1 = $"https://sts.windows.net/{support:D}/";
        return string.Equals(issuer, v2, StringComparison.OrdinalIgnoreCase) || string.Equals(issuer, v1, StringComparison.OrdinalIgnoreCase);
    }

    private static string? TenantOf(SecurityToken token) => token switch
    {
        JsonWebToken json when json.TryGetPayloadValue<string>("tid", out var tid) => tid,
        JwtSecurityToken jwt => jwt.Payload.TryGetValue("tid", out var tid) ? tid as string : null,
        _ => null,
    };
}
