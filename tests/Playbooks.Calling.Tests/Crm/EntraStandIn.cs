using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Playbooks.Calling.Crm;
using Playbooks.Calling.Crm.Dynamics;
using WireMock.Server;
using WireMock.Settings;

namespace Playbooks.Calling.Tests.Crm;

/// <summary>
/// Entra ID on this machine: a WireMock server over https with a self-signed certificate (the credential accepts only
/// https authorities), and HTTP clients whose token client trusts that certificate alone.
/// </summary>
internal static class EntraStandIn
{
    /// <summary>One certificate for the test run, with its private key, for localhost.</summary>
    public static readonly X509Certificate2 Certificate = CreateCertificate();

    public static WireMockServer Start() => WireMockServer.Start(new WireMockServerSettings
    {
        UseSSL = true,
        CertificateSettings = new WireMockCertificateSettings { X509Certificate = Certificate },
    });

    /// <summary>Plain clients for the CRM, and for <see cref="DynamicsCredentials.HttpClientName"/> one that trusts only the stand-in.</summary>
    public static IHttpClientFactory HttpClients { get; } = new Clients();

    public static DynamicsCredentials Credentials(IOptions<CrmOptions> options, TimeProvider clock, ILogger<DynamicsCredentials>? log = null) =>
        new(HttpClients, options, clock, log ?? NullLogger<DynamicsCredentials>.Instance);

    private static X509Certificate2 CreateCertificate()
    {
        // RSA: WireMock reads the certificate's PrivateKey property, which only RSA and DSA keys have.
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(7));
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pfx), null);
    }

    private sealed class Clients : IHttpClientFactory
    {
        public HttpClient CreateClient(string name) => name == DynamicsCredentials.HttpClientName
            ? new HttpClient(new SocketsHttpHandler
            {
                SslOptions = new SslClientAuthenticationOptions
                {
                    RemoteCertificateValidationCallback = (_, presented, _, _) =>
                        presented is not null && presented.GetRawCertData().AsSpan().SequenceEqual(Certificate.RawData),
                },
            })
            : new HttpClient();
    }
}
