using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Playbooks.Calling.Tests.Crm;

/// <summary>
/// A Salesforce org as an HTTP handler that remembers its Tasks: the token endpoint, the Task query by CallObject and
/// sObject Collections create and update. Each request takes a few milliseconds, so writers that are not serialized
/// interleave their query and create the way they would against the real API.
/// </summary>
internal sealed partial class InMemorySalesforce : HttpMessageHandler, IHttpClientFactory
{
    private readonly ConcurrentDictionary<string, string> _tasksByCall = new(StringComparer.Ordinal);
    private int _creates;
    private int _nextId;

    /// <summary>Every Task created, including a second one for a call that already had one.</summary>
    public int Creates => Volatile.Read(ref _creates);

    public int DistinctCalls => _tasksByCall.Count;

    public HttpClient CreateClient(string name) => new(this, disposeHandler: false);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        await Task.Delay(5, cancellationToken);
        var path = request.RequestUri!.AbsolutePath;
        if (path == "/services/oauth2/token")
        {
            var origin = request.RequestUri.GetLeftPart(UriPartial.Authority);
            return Json(new { access_token = "token", instance_url = origin });
        }
        if (path.EndsWith("/query", StringComparison.Ordinal))
        {
            var soql = Uri.UnescapeDataString(request.RequestUri.Query.TrimStart('?')["q=".Length..]);
            var records = soql.Contains(" FROM Task ", StringComparison.Ordinal)
                ? Quoted().Matches(soql).Select(m => m.Groups[1].Value)
                    .Where(_tasksByCall.ContainsKey)
                    .Select(sid => (object)new Dictionary<string, string> { ["Id"] = _tasksByCall[sid], ["CallObject"] = sid })
                    .ToList()
                : [];
            return Json(new { totalSize = records.Count, done = true, records });
        }
        if (path.EndsWith("/composite/sobjects", StringComparison.Ordinal))
        {
            var body = JsonNode.Parse(await request.Content!.ReadAsStringAsync(cancellationToken))!;
            var results = new List<object>();
            foreach (var record in body["records"]!.AsArray())
            {
                if (request.Method == HttpMethod.Post)
                {
                    Interlocked.Increment(ref _creates);
                    var id = "00T" + Interlocked.Increment(ref _nextId).ToString("D15");
                    _tasksByCall.TryAdd(record!["CallObject"]!.GetValue<string>(), id);
                    results.Add(new { id, success = true, errors = Array.Empty<object>() });
                }
                else
                {
                    results.Add(new { id = record!["Id"]!.GetValue<string>(), success = true, errors = Array.Empty<object>() });
                }
            }
            return Json(results);
        }
        return new HttpResponseMessage(HttpStatusCode.NotFound) { Content = JsonContent.Create(new[] { new { errorCode = "NOT_FOUND" } }) };
    }

    private static HttpResponseMessage Json(object value) =>
        new(HttpStatusCode.OK) { Content = JsonContent.Create(value, options: new JsonSerializerOptions(JsonSerializerDefaults.Web)) };

    [GeneratedRegex("'([^']*)'")]
    private static partial Regex Quoted();
}
