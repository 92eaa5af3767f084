using System.Text.Json;
using System.Text.Json.Nodes;
using Playbooks.Calling.Crm;
using Playbooks.Calling.Crm.Salesforce;
using WireMock.Logging;
using WireMock.Matchers;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Playbooks.Calling.Tests.Crm;

/// <summary>A WireMock server standing in for a Salesforce org: its token endpoint and its REST API.</summary>
internal sealed class SalesforceStub : IDisposable
{
    public const string DataPath = "/services/data/v60.0";

    public SalesforceStub(FakeTimeProvider? clock = null, Action<CrmOptions>? options = null, CrmOwners? owners = null)
    {
        Server = WireMockServer.Start();
        Clock = clock ?? new FakeTimeProvider(CrmTestKit.Start);
        Connector = new SalesforceConnector(new PlainHttpClients(), CrmTestKit.Secrets(Clock), new CrmTokenCache(Clock), CrmTestKit.Options(options), Clock, Log, owners);
    }

    /// <summary>The query of User by email answers with this User id, or with no record when null.</summary>
    public SalesforceStub GivenUser(string? userId)
    {
        Server.Given(Request.Create().WithPath($"{DataPath}/query").WithParam("q", new WildcardMatcher("*FROM User *")).UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithBodyAsJson(new
            {
                totalSize = userId is null ? 0 : 1,
                done = true,
                records = userId is null ? Array.Empty<object>() : [new Dictionary<string, object> { ["attributes"] = new { type = "User" }, ["Id"] = userId }],
            }));
        return this;
    }

    /// <summary>The queries of User by email.</summary>
    public IReadOnlyList<ILogEntry> UserQueries =>
        Requests("GET", $"{DataPath}/query").Where(e => e.RequestMessage.Query!["q"].ToString().Contains(" FROM User ")).ToList();

    public ListLogger<SalesforceConnector> Log { get; } = new();

    public WireMockServer Server { get; }

    public FakeTimeProvider Clock { get; }

    public SalesforceConnector Connector { get; }

    public string Url => Server.Url!;

    public CrmConnection Connection(string orgId = "org-a") => CrmTestKit.Salesforce(orgId, Url);

    public SalesforceStub GivenToken(string accessToken = "token-1", string? instanceUrl = null)
    {
        Server.Given(Request.Create().WithPath("/services/oauth2/token").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(200).WithBodyAsJson(new
            {
                access_token = accessToken,
                instance_url = instanceUrl ?? Url,
                id = $"{Url}/id/00D000000000001/005000000000001",
                token_type = "Bearer",
                issued_at = "1710428400000",
                signature = "c2ln",
            }));
        return this;
    }

    /// <summary>The query answers with these existing Tasks (call SID → Task id).</summary>
    public SalesforceStub GivenExistingTasks(params (string CallSid, string TaskId)[] tasks)
    {
        Server.Given(Request.Create().WithPath($"{DataPath}/query").WithParam("q", new WildcardMatcher("*FROM Task *")).UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithBodyAsJson(new
            {
                totalSize = tasks.Length,
                done = true,
                records = tasks.Select(t => new Dictionary<string, object>
                {
                    ["attributes"] = new { type = "Task", url = $"{DataPath}/sobjects/Task/{t.TaskId}" },
                    ["Id"] = t.TaskId,
                    ["CallObject"] = t.CallSid,
                }).ToArray(),
            }));
        return this;
    }

    /// <summary>The query of <paramref name="sObject"/> (Contact or Lead) by Id answers with this record and its phone fields.</summary>
    public SalesforceStub GivenWhoRecord(string sObject, string id, Dictionary<string, string?> phones)
    {
        var record = new Dictionary<string, object?> { ["attributes"] = new { type = sObject }, ["Id"] = id };
        foreach (var (field, value) in phones)
        {
            record[field] = value;
        }
        Server.Given(Request.Create().WithPath($"{DataPath}/query").WithParam("q", new WildcardMatcher($"*FROM {sObject} *")).UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithBodyAsJson(new { totalSize = 1, done = true, records = new[] { record } }));
        return this;
    }

    /// <summary>Collections answer every record with success and a made-up id.</summary>
    public SalesforceStub GivenCollectionsSucceed()
    {
        foreach (var method in new[] { "POST", "PATCH" })
        {
            Server.Given(Request.Create().WithPath($"{DataPath}/composite/sobjects").UsingMethod(method))
                .RespondWith(Response.Create().WithCallback(request =>
                {
                    var records = JsonNode.Parse(request.Body!)!["records"]!.AsArray();
                    var results = records.Select((r, i) => new { id = r!["Id"]?.GetValue<string>() ?? $"00T{i:D12}", success = true, errors = Array.Empty<object>() });
                    return new WireMock.ResponseMessage
                    {
                        StatusCode = 200,
                        BodyData = new WireMock.Util.BodyData
                        {
                            BodyAsString = JsonSerializer.Serialize(results),
                            DetectedBodyType = WireMock.Types.BodyType.String,
                        },
                        Headers = new Dictionary<string, WireMock.Types.WireMockList<string>> { ["Content-Type"] = new("application/json") },
                    };
                }));
        }
        return this;
    }

    public IReadOnlyList<ILogEntry> Requests(string method, string path) =>
        Server.LogEntries.Where(e => e.RequestMessage.Method == method && e.RequestMessage.Path == path).ToList();

    public IReadOnlyList<ILogEntry> TokenRequests => Requests("POST", "/services/oauth2/token");

    public IReadOnlyList<ILogEntry> Creates => Requests("POST", $"{DataPath}/composite/sobjects");

    public IReadOnlyList<ILogEntry> Updates => Requests("PATCH", $"{DataPath}/composite/sobjects");

    /// <summary>The queries for existing Tasks by CallObject.</summary>
    public IReadOnlyList<ILogEntry> Queries =>
        Requests("GET", $"{DataPath}/query").Where(e => e.RequestMessage.Query!["q"].ToString().Contains(" FROM Task ")).ToList();

    /// <summary>The queries of Contacts and Leads that check a whoId.</summary>
    public IReadOnlyList<ILogEntry> WhoQueries =>
        Requests("GET", $"{DataPath}/query").Where(e => e.RequestMessage.Query!["q"].ToString() is var q && !q.Contains(" FROM Task ") && !q.Contains(" FROM User ")).ToList();

    public static JsonObject Body(ILogEntry entry) => JsonNode.Parse(entry.RequestMessage.Body!)!.AsObject();

    public static string Header(ILogEntry entry, string name) =>
        entry.RequestMessage.Headers!.First(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value.ToString()!;

    public void Dispose() => Server.Stop();
}
