using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Playbooks.Calling.Crm.Dynamics;

namespace Playbooks.DevServer.Crm;

/// <summary>
/// Lets Dynamics sign-ins reach an Entra ID stand-in on this machine (Development only). The credential accepts only
/// https authorities, so the stand-in serves a self-signed certificate; the token client then trusts that certificate
/// alone (<c>DevServer:EntraAuthorityCertificate</c>, a PEM or DER file), never the machine's roots besides it.
/// </summary>
internal static class EntraStandInTrust
{
    public static void AddEntraStandInTrust(this IServiceCollection services, string certificatePath)
    {
        var trusted = X509CertificateLoader.LoadCertificateFromFile(certificatePath);
        services.AddHttpClient(DynamicsCredentials.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                SslOptions = new SslClientAuthenticationOptions
                {
                    RemoteCertificateValidationCallback = (_, certificate, _, _) => IsTrusted(trusted, certificate),
                },
            });
    }

    /// <summary>Whether the server presented exactly the trusted certificate (chain and name errors are expected of a self-signed one).</summary>
    public static bool IsTrusted(X509Certificate2 trusted, X509Certificate? presented) =>
        presented is not null && presented.GetRawCertData().AsSpan().SequenceEqual(trusted.RawData);
}
