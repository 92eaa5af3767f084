using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.IdentityModel.Tokens;

namespace Playbooks.DevServer.Tests.Security;

/// <summary>
/// Entra ID's public endpoints as the production validator fetches them (OpenID metadata, the signing keys, instance
/// discovery), answered in-process: the server's backchannel goes through this handler instead of the internet.
/// </summary>
internal sealed class EntraStub : HttpMessageHandler
{
    public const string Host = "login.microsoftonline.com";

    public const string KeyId = "entra-stub-key";

    public RSA SigningKey { get; } = RSA.Create(2048);

    /// <summary>Every URL the server asked for, so a test can see that nothing else was fetched (a jku, an x5u).</summary>
    public ConcurrentQueue<Uri> Requests { get; } = new();

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var uri = request.RequestUri!;
        Requests.Enqueue(uri);
        var segments = uri.AbsolutePath.Trim('/').Split('/');
        object? body = uri.Host != Host ? null : segments switch
        {
            [var tenant, "v2.0", ".well-known", "openid-configuration"] => Metadata(tenant),
            [var tenant, ".well-known", "openid-configuration"] => Metadata(tenant),
            [_, "discovery", "v2.0", "keys"] or [_, "discovery", "keys"] => Keys(),
            ["common", "discovery", "instance"] => InstanceDiscovery(),
            _ => null,
        };
        var response = body is null
            ? new HttpResponseMessage(HttpStatusCode.NotFound)
            : new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(JsonSerializer.Serialize(body), System.Text.Encoding.UTF8, "application/json") };
        return Task.FromResult(response);
    }

    private static object Metadata(string tenant)
    {
        var issuerTenant = tenant is "common" or "organizations" or "consumers" ? "{tenantid}" : tenant;
        return new Dictionary<string, object>
        {
            ["issuer"] = $"https://{Host}/{issuerTenant}/v2.0",
            ["jwks_uri"] = $"https://{Host}/{tenant}/discovery/v2.0/keys",
            ["authorization_endpoint"] = $"https://{Host}/{tenant}/oauth2/v2.0/authorize",
            ["token_endpoint"] = $"https://{Host}/{tenant}/oauth2/v2.0/token",
            ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
            ["response_types_supported"] = new[] { "code", "id_token" },
            ["subject_types_supported"] = new[] { "pairwise" },
        };
    }

    private object Keys()
    {
        var parameters = SigningKey.ExportParameters(false);
        return new
        {
            keys = new[]
            {
                new { kty = "RSA", use = "sig", kid = KeyId, n = Base64UrlEncoder.Encode(parameters.Modulus), e = Base64UrlEncoder.Encode(parameters.Exponent) },
            },
        };
    }

    private static object InstanceDiscovery() => new Dictionary<string, object>
    {
        ["tenant_discovery_endpoint"] = $"https://{Host}/common/v2.0/.well-known/openid-configuration",
        ["api-version"] = "1.1",
        ["metadata"] = new[]
        {
            new { preferred_network = Host, preferred_cache = "login.windows.net", aliases = new[] { Host, "login.windows.net", "login.microsoft.com", "sts.windows.net" } },
        },
    };

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            SigningKey.Dispose();
        }

        base.Dispose(disposing);
    }
}
