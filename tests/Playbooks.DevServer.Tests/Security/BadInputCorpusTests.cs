using System.Collections.Concurrent;
using System.Text.Json;
using Playbooks.Calling.Identity;
using Playbooks.DevServer.Tests.Http;
using Xunit.Abstractions;

namespace Playbooks.DevServer.Tests.Security;

/// <summary>
/// Hundreds of bad requests to every route with a body or a query, signed in with a role the route allows: every refusal is
/// 4xx problem+json with a code, nothing is ever a 5xx, and input that cannot be valid is refused.
/// </summary>
[Collection(SecurityCollection.Name)]
public sealed class BadInputCorpusTests(SecurityServer server, ITestOutputHelper output)
{
    [Fact]
    public void Corpus_CoversEveryRouteWithABodyOrQuery_AtLeast300Cases()
    {
        var routes = ApiRoute.All.Where(r => r.RequestType is not null || r.QueryNames.Count > 0 || r.IsTwilioWebhook || r.Parameters.Count > 0).ToList();

        var corpus = ApiRoute.All.SelectMany(BadInputCorpus.For).ToList();

        output.WriteLine($"Bad-input corpus: {corpus.Count} requests over {routes.Count} routes with a body, a query, a form or a route parameter.");
        foreach (var route in corpus.GroupBy(c => c.Route.Key).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            output.WriteLine($"  {route.Key}: {route.Count()}");
        }

        Assert.True(corpus.Count >= 300, $"The corpus has only {corpus.Count} cases.");
        Assert.All(routes, r => Assert.Contains(corpus, c => c.Route == r));
        // The discovery must keep finding what the functions read, or the corpus silently shrinks.
        Assert.Contains(ApiRoute.All, r => r.Key == "PATCH /api/admin/org" && r.RequestType?.Name == "OrgPatchRequest");
        Assert.Contains(ApiRoute.All, r => r.Key == "GET /api/admin/calls" && r.QueryNames.Contains("to") && r.QueryNames.Contains("pageSize"));
        Assert.Contains(ApiRoute.All, r => r.Key == "GET /api/admin/people" && r.QueryNames.Contains("search"));
    }

    [Fact]
    public async Task EveryBadInput_AllowedRole_Gets4xxProblemWithCode_NeverA5xx()
    {
        // Arrange: an org of its own, so accepted oddities change nothing the other tests look at.
        var org = await TestOrg.CreateAsync(server);
        var tokens = new Dictionary<string, string>
        {
            [AppRoles.Rep] = server.Token("corpus-rep", org.OrgId, SecurityServer.CustomerTenantId, AppRoles.Rep),
            [AppRoles.Manager] = server.Token("corpus-manager", org.OrgId, SecurityServer.CustomerTenantId, AppRoles.Manager),
            [AppRoles.Admin] = server.Token("corpus-admin", org.OrgId, SecurityServer.CustomerTenantId, AppRoles.Admin),
            [AppRoles.Support] = server.Token("corpus-support", "playbooks-vendor", SecurityServer.SupportTenantId, AppRoles.Support),
        };
        var corpus = ApiRoute.All.SelectMany(BadInputCorpus.For).ToList();
        var failures = new ConcurrentBag<string>();

        // Act
        await Parallel.ForEachAsync(corpus, new ParallelOptions { MaxDegreeOfParallelism = 6 }, async (bad, _) =>
        {
            var role = bad.Route.Roles.FirstOrDefault(r => r == AppRoles.Admin) ?? bad.Route.Roles.FirstOrDefault() ?? AppRoles.Rep;
            using var client = server.Client(bad.Route.IsAnonymous ? null : tokens[role]);
            var path = bad.Route.Fill(name => bad.PathValue is { } bent && bent.Name == name ? bent.Value : name switch
            {
                "orgId" => org.OrgId,
                "userId" => "corpus-rep",
                "callSid" => "CA" + new string('0', 31) + "3",
                _ => "corpus-" + name,
            });
            if (await CheckAsync(client, bad, path) is { } failure)
            {
                failures.Add($"{bad}: {failure}");
            }
        });

        // Assert
        output.WriteLine($"Bad-input corpus: {corpus.Count} requests sent, {failures.Count} not refused with a 4xx problem naming a code.");
        Assert.True(failures.IsEmpty, $"{failures.Count} of {corpus.Count} bad requests were not refused cleanly:\n{string.Join("\n", failures.Order())}");
    }

    private static async Task<string?> CheckAsync(HttpClient client, BadInput bad, string path)
    {
        HttpResponseMessage response;
        try
        {
            using var request = bad.Build(path);
            response = await client.SendAsync(request);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return $"the server failed the request: {ex.GetType().Name}: {ex.Message.Split('\n')[0]}";
        }

        using (response)
        {
            var status = (int)response.StatusCode;
            if (status >= 500)
            {
                return $"{status}";
            }

            if (status < 400)
            {
                return bad.MustRefuse ? $"{status}: accepted input that cannot be valid" : null;
            }

            if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
            {
                return $"{status} with {response.Content.Headers.ContentType?.MediaType ?? "no content type"} instead of application/problem+json";
            }

            try
            {
                using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
                return problem.RootElement.TryGetProperty("code", out var code) && code.GetString() is { Length: > 0 } ? null : $"{status} problem without a code";
            }
            catch (JsonException)
            {
                return $"{status} with a problem body that is not JSON";
            }
        }
    }
}
