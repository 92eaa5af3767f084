using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Playbooks.Calling.Crm;
using Playbooks.DevServer.Tests.TwilioSimulator;

namespace Playbooks.DevServer.Tests.EndToEnd;

/// <summary>
/// The live dev server (real port, simulator calling our own webhooks, Azurite) for the end-to-end tests, with a CRM
/// client secret per org in configuration (as the CRM Key Vault would give it), Entra ID's authority and a Dataverse environment at stand-ins, and the
/// background loops polling often, so a finished call reaches its activity and the CRM within a fraction of a second.
/// </summary>
public sealed class EndToEndServer : LiveDevServer
{
    public const string CrmSecretValue = "e2e-salesforce-client-secret-value";

    /// <summary>The demo org's caller ID (DemoOrgSeed).</summary>
    public const string DemoCallerId = "+15005550006";

    /// <summary>Entra ID and a Dataverse environment; Crm:EntraAuthorityHost is fixed at start, so the server owns it.</summary>
    internal DataverseStub Dataverse { get; } = new();

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>(base.Settings)
    {
        ["Crm:EntraAuthorityHost"] = Dataverse.EntraUrl,
        ["DevServer:EntraAuthorityCertificate"] = Dataverse.CertificatePath,
        ["DevServer:CrmSyncInterval"] = "00:00:00.200",
        ["CallEvents:IdlePollMilliseconds"] = "50",
        // The chaos test places a hundred calls as one rep in seconds.
        ["Twilio:CallRequestsPerMinute"] = "1000",
    };

    /// <summary>
    /// Puts the org's CRM client secret into the running server's configuration under the name the app composes for
    /// the org (<c>Crm:Secrets:crm-{org}-client-secret</c>), as the CRM Key Vault would hold it.
    /// </summary>
    public void GiveCrmSecret(string orgId) =>
        Services.GetRequiredService<IConfiguration>()[$"Crm:Secrets:{CrmSecretNames.ClientSecret(orgId)}"] = CrmSecretValue;

    /// <summary>A client of the real port signed in as any identity in any org (POST /dev/token with orgId and roles).</summary>
    public async Task<HttpClient> SignInAsync(string userId, string orgId, params string[] roles)
    {
        var client = Client();
        var response = await client.PostAsJsonAsync("/dev/token", new { userId, orgId, roles });
        response.EnsureSuccessStatusCode();
        var token = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            Dataverse.Dispose();
        }
    }
}

/// <summary>
/// Runs alone, after the parallel collections: other host tests briefly change seeded demo users (e.g. rep-both's
/// preference) in the shared Azurite, and these tests place calls as those users.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class EndToEndCollection : ICollectionFixture<EndToEndServer>
{
    public const string Name = "end to end";
}
