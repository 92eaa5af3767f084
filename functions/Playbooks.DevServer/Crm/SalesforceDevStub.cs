using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Playbooks.DevServer.Crm;

/// <summary>
/// A Salesforce org on the dev server itself (Development only), so the web app's CRM page can be tried without an
/// account: an admin saves the dev server's own URL as the instance URL. It answers what the connector asks (the
/// client-credentials token, the Task describe, SOQL on Task by CallObject and on User by Email or Username, and sObject
/// Collections), keeps the Tasks it was sent, and records every request. <c>/dev/crm/salesforce/...</c> sets it up.
/// </summary>
internal sealed partial class SalesforceDevStub
{
    public const string AccessToken = "dev-salesforce-access-token";

    private readonly ConcurrentDictionary<string, JsonObject> _tasksByCallObject = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _usersByEmail = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentQueue<object> _requests = new();
    private int _failNext;
    private int _nextId;

    public static void Map(IEndpointRouteBuilder endpoints)
    {
        var stub = new SalesforceDevStub();
        endpoints.MapPost("/services/oauth2/token", (HttpContext http) =>
        {
            stub.Record(http, null);
            return Results.Ok(new { access_token = AccessToken, instance_url = $"{http.Request.Scheme}://{http.Request.Host}", token_type = "Bearer" });
        });
        endpoints.MapGet("/services/data/{version}/sobjects/Task", (HttpContext http) =>
            stub.Authorized(http, null) ?? Results.Ok(new { objectDescribe = new { name = "Task" } }));
        endpoints.MapGet("/services/data/{version}/query", (HttpContext http) => stub.Authorized(http, null) ?? stub.Query(http.Request.Query["q"].ToString()));
        // Two parameters, so the lambda is not taken for a RequestDelegate that would drop the result.
        endpoints.MapPost("/services/data/{version}/composite/sobjects", (HttpContext http, CancellationToken _) => stub.SaveAsync(http, create: true));
        endpoints.MapMethods("/services/data/{version}/composite/sobjects", ["PATCH"], (HttpContext http, CancellationToken _) => stub.SaveAsync(http, create: false));

        endpoints.MapPost("/dev/crm/salesforce/users", (UserRequest user) =>
        {
            stub._usersByEmail[user.Email] = user.Id;
            return Results.NoContent();
        });
        endpoints.MapPost("/dev/crm/salesforce/fail-next", (FailRequest fail) =>
        {
            Interlocked.Exchange(ref stub._failNext, Math.Max(0, fail.Count));
            return Results.NoContent();
        });
        endpoints.MapGet("/dev/crm/salesforce/tasks", () => Results.Ok(stub._tasksByCallObject.Values.Select(t => t.DeepClone()).ToList()));
        endpoints.MapGet("/dev/crm/salesforce/requests", () => Results.Ok(stub._requests.ToList()));
    }

    private void Record(HttpContext http, string? body) =>
        _requests.Enqueue(new { method = http.Request.Method, path = http.Request.Path.Value, query = http.Request.Query["q"].ToString(), body });

    private IResult? Authorized(HttpContext http, string? body)
    {
        Record(http, body);
        return http.Request.Headers.Authorization.ToString() == $"Bearer {AccessToken}"
            ? null
            : Results.Json(new[] { new { message = "Session expired or invalid", errorCode = "INVALID_SESSION_ID" } }, statusCode: 401);
    }

    private IResult Query(string soql)
    {
        List<JsonObject> records;
        if (soql.Contains(" FROM User ", StringComparison.Ordinal))
        {
            records = Literal().Matches(soql).Select(m => m.Groups[1].Value).Distinct()
                .Where(_usersByEmail.ContainsKey)
                .Select(email => new JsonObject { ["attributes"] = new JsonObject { ["type"] = "User" }, ["Id"] = _usersByEmail[email] })
                .Take(1)
                .ToList();
        }
        else if (soql.Contains(" FROM Task ", StringComparison.Ordinal))
        {
            records = Literal().Matches(soql).Select(m => m.Groups[1].Value)
                .Where(_tasksByCallObject.ContainsKey)
                .Select(sid => new JsonObject
                {
                    ["attributes"] = new JsonObject { ["type"] = "Task" },
                    ["Id"] = _tasksByCallObject[sid]["Id"]!.DeepClone(),
                    ["CallObject"] = sid,
                })
                .ToList();
        }
        else
        {
            records = [];
        }
        return Results.Ok(new { totalSize = records.Count, done = true, records });
    }

    private async Task<IResult> SaveAsync(HttpContext http, bool create)
    {
        var body = await new StreamReader(http.Request.Body).ReadToEndAsync(http.RequestAborted);
        if (Authorized(http, body) is { } denied)
        {
            return denied;
        }
        var results = new List<object>();
        foreach (var record in JsonNode.Parse(body)?["records"]?.AsArray().OfType<JsonObject>() ?? [])
        {
            if (Interlocked.Decrement(ref _failNext) >= 0)
            {
                results.Add(new
                {
                    success = false,
                    errors = new[] { new { statusCode = "FIELD_CUSTOM_VALIDATION_EXCEPTION", message = "Rejected by the dev stub (fail-next).", fields = Array.Empty<string>() } },
                });
                continue;
            }
            Interlocked.Exchange(ref _failNext, 0);
            var callObject = record["CallObject"]?.GetValue<string>() ?? "";
            var id = create ? $"00T{Interlocked.Increment(ref _nextId):D15}" : record["Id"]?.GetValue<string>() ?? "";
            var stored = (JsonObject)record.DeepClone();
            stored["Id"] = id;
            _tasksByCallObject.AddOrUpdate(callObject, stored, (_, existing) =>
            {
                foreach (var (name, value) in stored)
                {
                    existing[name] = value?.DeepClone();
                }
                return existing;
            });
            results.Add(new { id, success = true, errors = Array.Empty<object>() });
        }
        return Results.Ok(results);
    }

    private sealed record UserRequest(string Email, string Id);

    private sealed record FailRequest(int Count);

    [GeneratedRegex(@"'((?:[^'\\]|\\.)*)'")]
    private static partial Regex Literal();
}
