using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using WireMock;
using WireMock.Logging;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Types;
using WireMock.Util;

namespace Playbooks.DevServer.Tests.EndToEnd;

/// <summary>
/// A WireMock server that behaves like a Salesforce org's REST API, with state: the client-credentials token endpoint,
/// a SOQL query that finds the Tasks created so far by <c>CallObject</c>, and sObject Collections that create Tasks
/// (a new id each, so a duplicate create shows) and update them.
/// </summary>
internal sealed partial class SalesforceOrgStub : IDisposable
{
    public const string DataPath = "/services/data/v60.0";
    public const string CollectionsPath = DataPath + "/composite/sobjects";
    public const string AccessToken = "e2e-access-token";

    private readonly ConcurrentDictionary<string, string> _taskByCallObject = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _contactPhones = new(StringComparer.Ordinal);
    private int _nextId;

    public SalesforceOrgStub()
    {
        Server = WireMockServer.Start();
        Server.Given(Request.Create().WithPath("/services/oauth2/token").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(200).WithBodyAsJson(new
            {
                access_token = AccessToken,
                instance_url = Url,
                id = $"{Url}/id/00D000000000001/005000000000001",
                token_type = "Bearer",
                issued_at = "1710428400000",
                signature = "c2ln",
            }));
        Server.Given(Request.Create().WithPath($"{DataPath}/query").UsingGet())
            .RespondWith(Response.Create().WithCallback(Query));
        Server.Given(Request.Create().WithPath(CollectionsPath).UsingPost())
            .RespondWith(Response.Create().WithCallback(request => Save(request, create: true)));
        Server.Given(Request.Create().WithPath(CollectionsPath).UsingMethod("PATCH"))
            .RespondWith(Response.Create().WithCallback(request => Save(request, create: false)));
    }

    public WireMockServer Server { get; }

    /// <summary>A Contact (id 003…, 18 characters) whose Phone is <paramref name="phone"/>, for the whoId check's query.</summary>
    public SalesforceOrgStub GivenContact(string id, string phone)
    {
        _contactPhones[id] = phone;
        return this;
    }

    public string Url => Server.Url!;

    public IReadOnlyList<ILogEntry> TokenRequests => Requests("POST", "/services/oauth2/token");

    public IReadOnlyList<ILogEntry> Creates => Requests("POST", CollectionsPath);

    public IReadOnlyList<ILogEntry> Updates => Requests("PATCH", CollectionsPath);

    /// <summary>The Task records of every create or update request, in the order they came.</summary>
    public static IReadOnlyList<JsonObject> Records(IEnumerable<ILogEntry> requests) =>
        requests.SelectMany(r => JsonNode.Parse(r.RequestMessage.Body!)!["records"]!.AsArray().Select(t => t!.AsObject())).ToList();

    public static string? Text(JsonObject record, string field) => record[field]?.GetValue<string>();

    public void Dispose() => Server.Stop();

    private IReadOnlyList<ILogEntry> Requests(string method, string path) =>
        Server.LogEntries.Where(e => e.RequestMessage.Method == method && e.RequestMessage.Path == path).OrderBy(e => e.RequestMessage.DateTime).ToList();

    private ResponseMessage Query(IRequestMessage request)
    {
        var soql = request.Query!["q"].ToString();
        if (soql.Contains(" FROM Contact ", StringComparison.Ordinal))
        {
            var contacts = IdLiteral().Matches(soql)
                .Select(m => m.Groups[1].Value)
                .SelectMany(id => _contactPhones.Where(c => c.Key.StartsWith(id, StringComparison.Ordinal)))
                .Select(c => new Dictionary<string, object> { ["attributes"] = new { type = "Contact" }, ["Id"] = c.Key, ["Phone"] = c.Value })
                .ToList();
            return Json(new { totalSize = contacts.Count, done = true, records = contacts });
        }
        var records = CallObjectLiteral().Matches(soql)
            .Select(m => m.Groups[1].Value)
            .Where(_taskByCallObject.ContainsKey)
            .Select(sid => new Dictionary<string, object>
            {
                ["attributes"] = new { type = "Task", url = $"{DataPath}/sobjects/Task/{_taskByCallObject[sid]}" },
                ["Id"] = _taskByCallObject[sid],
                ["CallObject"] = sid,
            })
            .ToList();
        return Json(new { totalSize = records.Count, done = true, records });
    }

    private ResponseMessage Save(IRequestMessage request, bool create)
    {
        var results = new List<object>();
        foreach (var record in JsonNode.Parse(request.Body!)!["records"]!.AsArray())
        {
            var id = create ? $"00T{Interlocked.Increment(ref _nextId):D15}" : record!["Id"]!.GetValue<string>();
            if (create)
            {
                _taskByCallObject.TryAdd(record!["CallObject"]!.GetValue<string>(), id);
            }

            results.Add(new { id, success = true, errors = Array.Empty<object>() });
        }

        return Json(results);
    }

    private static ResponseMessage Json(object body) => new()
    {
        StatusCode = 200,
        BodyData = new BodyData { BodyAsString = JsonSerializer.Serialize(body), DetectedBodyType = BodyType.String },
        Headers = new Dictionary<string, WireMockList<string>> { ["Content-Type"] = new("application/json") },
    };

    [GeneratedRegex(@"'(CA[0-9a-fA-F]{32})'")]
    private static partial Regex CallObjectLiteral();

    [GeneratedRegex(@"'([0-9A-Za-z]{15,18})'")]
    private static partial Regex IdLiteral();
}
