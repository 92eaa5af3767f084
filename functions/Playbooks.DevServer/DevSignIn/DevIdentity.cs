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

    public DevIdentity(string tenantId, string audience)
    {
        TenantId = tenantId;
        Audience = audience;
        Issuer = $"https://login.microsoftonline.com/{tenantId}/v2.0";
        SigningKey = new RsaSecurityKey(_rsa) { KeyId = "playbooks-dev" };
    }

    public string TenantId { get; }

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
                ["tid"] = TenantId,
                ["oid"] = user.UserId,
                ["org_id"] = user.OrgId,
                ["name"] = user.DisplayName,
                ["roles"] = user.Roles.ToArray(),
                ["ver"] = "2.0",
            },
        };
        return new JsonWebTokenHandler().CreateToken(descriptor);
    }

    public void Dispose() => _rsa.Dispose();
}

public sealed record DevUser(string UserId, string OrgId, string DisplayName, IReadOnlyList<string> Roles);
