using System.Text.Json.Nodes;
using WireMock.Logging;
using WireMock.Matchers;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Playbooks.DevServer.Tests.EndToEnd;

/// <summary>
/// A WireMock server standing in for both Entra ID (the client-credentials token endpoint of any tenant) and a Dataverse
/// environment (PATCH upserts of phonecalls answer 204). The live server's Crm:EntraAuthorityHost points here.
/// </summary>
internal sealed class DataverseStub : IDisposable
{
    public const string ApiPath = "/api/data/v9.2";

    public DataverseStub()
    {
        Server = WireMockServer.Start();
        Server.Given(Request.Create().WithPath(new WildcardMatcher("/*/oauth2/v2.0/token")).UsingPost())
            .RespondWith(Response.Create().WithStatusCode(200).WithBodyAsJson(new
            {
                token_type = "Bearer",
                expires_in = 3599,
                ext_expires_in = 3599,
                access_token = "e2e-dataverse-token",
            }));
        Server.Given(Request.Create().WithPath(new WildcardMatcher($"{ApiPath}/phonecalls(*)")).UsingMethod("PATCH"))
            .RespondWith(Response.Create().WithStatusCode(204));
    }

    public WireMockServer Server { get; }

    public string Url => Server.Url!;

    public IReadOnlyList<ILogEntry> TokenRequests =>
        Server.LogEntries.Where(e => e.RequestMessage.Path.EndsWith("/oauth2/v2.0/token", StringComparison.Ordinal)).ToList();

    /// <summary>The phonecall upserts whose description names this call SID, oldest first.</summary>
    public IReadOnlyList<ILogEntry> UpsertsOf(string callSid) =>
        Server.LogEntries
            .Where(e => e.RequestMessage.Method == "PATCH" && e.RequestMessage.Body is { } body && body.Contains($"Call SID: {callSid}", StringComparison.Ordinal))
            .OrderBy(e => e.RequestMessage.DateTime)
            .ToList();

    public static JsonObject Body(ILogEntry entry) => JsonNode.Parse(entry.RequestMessage.Body!)!.AsObject();

    public void Dispose() => Server.Stop();
}
