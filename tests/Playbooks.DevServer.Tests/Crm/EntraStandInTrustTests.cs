using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Playbooks.DevServer.Crm;

namespace Playbooks.DevServer.Tests.Crm;

public sealed class EntraStandInTrustTests
{
    [Fact]
    public void IsTrusted_TheNamedCertificate_True()
    {
        using var trusted = SelfSigned("CN=localhost");
        using var presented = X509CertificateLoader.LoadCertificate(trusted.RawData);

        Assert.True(EntraStandInTrust.IsTrusted(trusted, presented));
    }

    [Fact]
    public void IsTrusted_AnotherCertificateForTheSameName_False()
    {
        using var trusted = SelfSigned("CN=localhost");
        using var other = SelfSigned("CN=localhost");

        Assert.False(EntraStandInTrust.IsTrusted(trusted, other));
        Assert.False(EntraStandInTrust.IsTrusted(trusted, null));
    }

    private static X509Certificate2 SelfSigned(string subject)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return new CertificateRequest(subject, key, HashAlgorithmName.SHA256).CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
    }
}
