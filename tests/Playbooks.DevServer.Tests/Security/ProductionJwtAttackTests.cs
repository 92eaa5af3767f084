using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.Tokens;
using Playbooks.DevServer.Tests.Http;
using Xunit.Abstractions;

namespace Playbooks.DevServer.Tests.Security;

/// <summary>
/// Forged and mis-issued bearer tokens against the production validator (Microsoft.Identity.Web's JwtBearer as configured
/// for Azure, fed Entra ID's metadata by <see cref="EntraStub"/>). A correct token is accepted, so the refusals mean something.
/// </summary>
public sealed class ProductionJwtAttackTests(ProductionJwtServer server, ITestOutputHelper output) : IClassFixture<ProductionJwtServer>
{
    private const string OtherTenantId = "0bad7e4a-0000-4000-8000-0000000000bb";

    private static readonly RSA AttackerKey = RSA.Create(2048);

    [Fact]
    public async Task Me_CorrectlySignedTokenOfTheTenant_IsAccepted()
    {
        var response = await SendAsync(Token());

        // Past authentication the app answers for itself: this tenant has no Playbooks org in this test's storage.
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK || body.Contains("\"org-not-provisioned\"", StringComparison.Ordinal),
            $"A correct token was not accepted: {(int)response.StatusCode} {body}; Entra endpoints fetched: {string.Join(", ", server.Entra.Requests)}");
    }

    [Fact]
    public async Task Me_TokenOfTheSupportTenantWithSupportRole_IsAcceptedAsSupport()
    {
        // Arrange
        var token = Token(Claims(tenant: ProductionJwtServer.SupportTenantId, userId: "vendor-support", roles: ["Support"]));

        // Act
        var response = await SendAsync(token);

        // Assert
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode} {body}");
        var roles = JsonDocument.Parse(body).RootElement.GetProperty("roles").EnumerateArray().Select(r => r.GetString()).ToList();
        Assert.Equal(["Support"], roles);
    }

    public static TheoryData<string> Attacks() =>
    [
        "alg none", "alg none with the real kid", "alg NONE upper-cased", "HS256 keyed with the RSA public key (PEM)", "HS256 keyed with the RSA public key (DER)",
        "unknown kid", "no kid, attacker's key", "jku pointing elsewhere", "x5u pointing elsewhere", "jku with the real kid", "embedded jwk",
        "expired", "nbf in the future", "wrong audience", "no audience", "wrong issuer", "issuer of another tenant with this tid",
        "token of another tenant", "v1 token of another tenant", "support tenant's issuer with the customer's tid",
        "support tenant's issuer on another host", "modified payload", "empty signature", "signature of another token", "no signature part",
    ];

    [Fact]
    public void Attacks_CoverEveryKindOfForgery()
    {
        var attacks = ((IEnumerable<object[]>)Attacks()).Select(a => (string)a[0]).ToList();

        output.WriteLine($"JWT attacks against the production validator: {attacks.Count} cases: {string.Join("; ", attacks)}.");
        Assert.Superset(
            new HashSet<string>
            {
                "alg none", "HS256 keyed with the RSA public key (PEM)", "unknown kid", "jku pointing elsewhere", "expired",
                "nbf in the future", "wrong audience", "wrong issuer", "token of another tenant",
            },
            attacks.ToHashSet());
    }

    [Theory]
    [MemberData(nameof(Attacks))]
    public async Task Me_ForgedOrMisissuedToken_Returns401(string attack)
    {
        // Arrange
        var token = Forge(attack);

        // Act
        var response = await SendAsync(token);

        // Assert
        await response.ProblemAsync(HttpStatusCode.Unauthorized, "unauthenticated");
        Assert.DoesNotContain(server.Entra.Requests, uri => uri.Host != EntraStub.Host);
    }

    private string Forge(string attack)
    {
        var now = DateTimeOffset.UtcNow;
        return attack switch
        {
            "alg none" => Unsigned(new { alg = "none", typ = "JWT" }, Claims()),
            "alg none with the real kid" => Unsigned(new { alg = "none", typ = "JWT", kid = EntraStub.KeyId }, Claims()),
            "alg NONE upper-cased" => Unsigned(new { alg = "NONE", typ = "JWT", kid = EntraStub.KeyId }, Claims()),
            "HS256 keyed with the RSA public key (PEM)" => Hmac(Encoding.ASCII.GetBytes(server.Entra.SigningKey.ExportSubjectPublicKeyInfoPem())),
            "HS256 keyed with the RSA public key (DER)" => Hmac(server.Entra.SigningKey.ExportRSAPublicKey()),
            "unknown kid" => Rs256(new { alg = "RS256", typ = "JWT", kid = "attacker-key" }, Claims(), AttackerKey),
            "no kid, attacker's key" => Rs256(new { alg = "RS256", typ = "JWT" }, Claims(), AttackerKey),
            "jku pointing elsewhere" => Rs256(new { alg = "RS256", typ = "JWT", kid = "attacker-key", jku = "https://attacker.example/keys" }, Claims(), AttackerKey),
            "x5u pointing elsewhere" => Rs256(new { alg = "RS256", typ = "JWT", kid = "attacker-key", x5u = "https://attacker.example/cert.pem" }, Claims(), AttackerKey),
            "jku with the real kid" => Rs256(new { alg = "RS256", typ = "JWT", kid = EntraStub.KeyId, jku = "https://attacker.example/keys" }, Claims(), AttackerKey),
            "embedded jwk" => Rs256(new { alg = "RS256", typ = "JWT", kid = "attacker-key", jwk = AttackerJwk() }, Claims(), AttackerKey),
            "expired" => Token(Claims(issuedAt: now.AddHours(-3))),
            "nbf in the future" => Token(Claims(issuedAt: now.AddHours(1))),
            "wrong audience" => Token(Claims(audience: "api://another-app")),
            "no audience" => Token(Claims(audience: null)),
            "wrong issuer" => Token(Claims(issuer: $"https://attacker.example/{ProductionJwtServer.TenantId}/v2.0")),
            "issuer of another tenant with this tid" => Token(Claims(issuer: $"https://{EntraStub.Host}/{OtherTenantId}/v2.0")),
            // Entra ID signs every tenant's tokens with the same keys: only the tenant tells them apart.
            "token of another tenant" => Token(Claims(tenant: OtherTenantId, issuer: $"https://{EntraStub.Host}/{OtherTenantId}/v2.0")),
            "v1 token of another tenant" => Token(Claims(tenant: OtherTenantId, issuer: $"https://sts.windows.net/{OtherTenantId}/", version: "1.0")),
            "support tenant's issuer with the customer's tid" => Token(Claims(issuer: $"https://{EntraStub.Host}/{ProductionJwtServer.SupportTenantId}/v2.0")),
            "support tenant's issuer on another host" => Token(Claims(tenant: ProductionJwtServer.SupportTenantId, issuer: $"https://attacker.example/{ProductionJwtServer.SupportTenantId}/v2.0")),
            "modified payload" => ReplacePayload(Token(), Claims(roles: ["Admin", "Support"])),
            "empty signature" => Token()[..(Token().LastIndexOf('.') + 1)],
            "signature of another token" => Token()[..Token().LastIndexOf('.')] + Token(Claims(userId: "someone-else"))[Token(Claims(userId: "someone-else")).LastIndexOf('.')..],
            "no signature part" => Token()[..Token().LastIndexOf('.')],
            _ => throw new ArgumentOutOfRangeException(nameof(attack)),
        };
    }

    private static Dictionary<string, object?> Claims(
        DateTimeOffset? issuedAt = null, string? audience = ProductionJwtServer.Audience, string? issuer = null, string tenant = ProductionJwtServer.TenantId,
        string version = "2.0", string userId = "jwt-admin", string[]? roles = null)
    {
        var iat = (issuedAt ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds();
        var claims = new Dictionary<string, object?>
        {
            ["iss"] = issuer ?? $"https://{EntraStub.Host}/{tenant}/v2.0",
            ["iat"] = iat,
            ["nbf"] = iat,
            ["exp"] = iat + 3600,
            ["tid"] = tenant,
            ["oid"] = userId,
            ["sub"] = userId,
            ["name"] = "JWT admin",
            ["roles"] = roles ?? ["Admin"],
            ["ver"] = version,
            ["azp"] = "5a5e1d3c-0000-4000-8000-000000000003",
        };
        if (audience is not null)
        {
            claims["aud"] = audience;
        }

        return claims;
    }

    private string Token(Dictionary<string, object?>? claims = null) =>
        Rs256(new { alg = "RS256", typ = "JWT", kid = EntraStub.KeyId }, claims ?? Claims(), server.Entra.SigningKey);

    private static string Rs256(object header, object payload, RSA key)
    {
        var signed = Encode(header) + "." + Encode(payload);
        return signed + "." + Base64UrlEncoder.Encode(key.SignData(Encoding.ASCII.GetBytes(signed), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
    }

    private string Hmac(byte[] key)
    {
        var signed = Encode(new { alg = "HS256", typ = "JWT", kid = EntraStub.KeyId }) + "." + Encode(Claims());
        return signed + "." + Base64UrlEncoder.Encode(HMACSHA256.HashData(key, Encoding.ASCII.GetBytes(signed)));
    }

    private static string Unsigned(object header, object payload) => Encode(header) + "." + Encode(payload) + ".";

    private static string ReplacePayload(string token, object payload)
    {
        var parts = token.Split('.');
        return parts[0] + "." + Encode(payload) + "." + parts[2];
    }

    private static object AttackerJwk()
    {
        var parameters = AttackerKey.ExportParameters(false);
        return new { kty = "RSA", kid = "attacker-key", n = Base64UrlEncoder.Encode(parameters.Modulus), e = Base64UrlEncoder.Encode(parameters.Exponent) };
    }

    private static string Encode(object value) => Base64UrlEncoder.Encode(JsonSerializer.SerializeToUtf8Bytes(value));

    private async Task<HttpResponseMessage> SendAsync(string token)
    {
        using var client = server.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/me");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await client.SendAsync(request);
    }
}
