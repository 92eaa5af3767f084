using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Playbooks.DevServer.DevSignIn;

/// <summary>
/// The development-only token issuer: a signing key made fresh at each start, and an issuer in the
/// shape of Entra ID's v2 issuer for the configured tenant. Registered only in the Development environment.
/// </summary>
internal sealed class DevIdentity : IDisposable
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromHours(1);
    private readonly RSA _rsa = RSA.Create(2048);

    public DevIdentity(string tenantId, string audience, string? supportTenantId = null)
    {
        TenantId = tenantId;
        SupportTenantId = supportTenantId;
        Audience = audience;
        Issuer = $"https://login.microsoftonline.com/{tenantId}/v2.0";
        SigningKey = new RsaSecurityKey(_rsa) { KeyId = "playbooks-dev" };
    }

    public string TenantId { get; }

    /// <summary>The vendor tenant whose tokens may carry the Support role (Auth:SupportTenantId).</summary>
    public string? SupportTenantId { get; }

    public string Audience { get; }

    public string Issuer { get; }

    public RsaSecurityKey SigningKey { get; }

    public string IssueToken(DevUser user, DateTimeOffset now)
    {
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Audience,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = now.Add(Lifetime).UtcDateTime,
            SigningCredentials = new SigningCredentials(SigningKey, SecurityAlgorithms.RsaSha256),
            Claims = new Dictionary<string, object>
            {
                ["tid"] = user.TenantId ?? TenantOf(user.OrgId),
                ["oid"] = user.UserId,
                ["org_id"] = user.OrgId,
                ["name"] = user.DisplayName,
                ["roles"] = user.Roles.ToArray(),
                ["ver"] = "2.0",
            },
        };
        if (user.Email is not null)
        {
            descriptor.Claims["preferred_username"] = user.Email;
        }
        return new JsonWebTokenHandler().CreateToken(descriptor);
    }

    /// <summary>A customer org's own stand-in Entra tenant: a GUID derived from the org id, so it is stable across starts.</summary>
    public static string TenantOf(string orgId) =>
        new Guid(MD5.HashData(System.Text.Encoding.UTF8.GetBytes("playbooks-dev-tenant:" + orgId))).ToString();

    public void Dispose() => _rsa.Dispose();
}

/// <summary>A dev sign-in identity; without a <see cref="TenantId"/> its token carries its org's stand-in tenant.</summary>
public sealed record DevUser(string UserId, string OrgId, string DisplayName, IReadOnlyList<string> Roles, string? TenantId = null, string? Email = null);
