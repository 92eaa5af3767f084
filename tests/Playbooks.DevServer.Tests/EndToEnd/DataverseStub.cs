using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using WireMock.Logging;
using WireMock.Matchers;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Settings;

namespace Playbooks.DevServer.Tests.EndToEnd;

/// <summary>
/// Stand-ins for Entra ID (the client-credentials token endpoint of any tenant, over https with a self-signed
/// certificate, since the credential accepts only https authorities) and a Dataverse environment (plain http on this
/// machine; PATCH upserts of phonecalls answer 204). The live server's Crm:EntraAuthorityHost points at the first, and
/// DevServer:EntraAuthorityCertificate at its certificate, which the server's token client then trusts alone.
/// </summary>
internal sealed class DataverseStub : IDisposable
{
    public const string ApiPath = "/api/data/v9.2";

    public DataverseStub()
    {
        var certificate = CreateCertificate();
        CertificatePath = Path.Combine(Path.GetTempPath(), $"entra-stand-in-{Guid.NewGuid():N}.pem");
        File.WriteAllText(CertificatePath, certificate.ExportCertificatePem());
        Entra = WireMockServer.Start(new WireMockServerSettings
        {
            UseSSL = true,
            CertificateSettings = new WireMockCertificateSettings { X509Certificate = certificate },
        });
        Entra.Given(Request.Create().WithPath(new WildcardMatcher("/*/oauth2/v2.0/token")).UsingPost())
            .RespondWith(Response.Create().WithStatusCode(200).WithBodyAsJson(new
            {
                token_type = "Bearer",
                expires_in = 3599,
                ext_expires_in = 3599,
                access_token = "e2e-dataverse-token",
            }));
        Server = WireMockServer.Start();
        Server.Given(Request.Create().WithPath(new WildcardMatcher($"{ApiPath}/phonecalls(*)")).UsingMethod("PATCH"))
            .RespondWith(Response.Create().WithStatusCode(204));
    }

    /// <summary>The Dataverse environment.</summary>
    public WireMockServer Server { get; }

    /// <summary>Entra ID's authority host.</summary>
    public WireMockServer Entra { get; }

    /// <summary>The PEM file of the certificate Entra's stand-in serves.</summary>
    public string CertificatePath { get; }

    public string Url => Server.Url!;

    public string EntraUrl => Entra.Url!;

    public IReadOnlyList<ILogEntry> TokenRequests =>
        Entra.LogEntries.Where(e => e.RequestMessage.Path.EndsWith("/oauth2/v2.0/token", StringComparison.Ordinal)).ToList();

    /// <summary>The phonecall upserts whose description names this call SID, oldest first.</summary>
    public IReadOnlyList<ILogEntry> UpsertsOf(string callSid) =>
        Server.LogEntries
            .Where(e => e.RequestMessage.Method == "PATCH" && e.RequestMessage.Body is { } body && body.Contains($"Call SID: {callSid}", StringComparison.Ordinal))
            .OrderBy(e => e.RequestMessage.DateTime)
            .ToList();

    public static JsonObject Body(ILogEntry entry) => JsonNode.Parse(entry.RequestMessage.Body!)!.AsObject();

    public void Dispose()
    {
        Server.Stop();
        Entra.Stop();
        File.Delete(CertificatePath);
    }

    /// <summary>A self-signed localhost certificate with its private key (RSA: WireMock reads the certificate's PrivateKey).</summary>
    private static X509Certificate2 CreateCertificate()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(7));
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pfx), null);
    }
}
