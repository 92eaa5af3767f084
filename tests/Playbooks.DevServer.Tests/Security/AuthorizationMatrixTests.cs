using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text;
using Playbooks.Calling.Identity;
using Xunit.Abstractions;

namespace Playbooks.DevServer.Tests.Security;

/// <summary>
/// Every route × every identity against a checked-in table of expected statuses (authorization-matrix.tsv).
/// To see the server's actual table: PLAYBOOKS_WRITE_MATRIX=/tmp/matrix.tsv dotnet test tests/Playbooks.DevServer.Tests
/// --filter FullyQualifiedName~AuthorizationMatrix, then diff it against the checked-in file.
/// </summary>
[Collection(SecurityCollection.Name)]
public sealed class AuthorizationMatrixTests(SecurityServer server, ITestOutputHelper output)
{
    public const string WriteVariable = "PLAYBOOKS_WRITE_MATRIX";

    private const string TableFile = "authorization-matrix.tsv";

    /// <summary>The columns of the table, in order. Same-org identities act on the target org; "other-*" are of a second org.</summary>
    private static readonly string[] Identities =
    [
        "anonymous", "expired", "foreign-tenant",
        "rep", "manager", "admin", "support-vendor", "support-customer",
        "other-rep", "other-manager", "other-admin", "other-support-customer",
    ];

    [Fact]
    public void Table_ListsEveryDiscoveredRoute_AndNoOther()
    {
        var table = ReadTable();
        var routes = ApiRoute.All.Select(r => r.Key).ToHashSet();

        var missing = routes.Where(r => !table.ContainsKey(r)).ToList();
        var stale = table.Keys.Where(r => !routes.Contains(r)).ToList();

        Assert.True(missing.Count == 0,
            $"These routes have no row in Security/{TableFile}: {string.Join("; ", missing)}. Add one row per route with the " +
            $"SECURE expected status per identity (run with {WriteVariable}=/tmp/matrix.tsv to print what the server answers today, " +
            "then copy the row and check every cell).");
        Assert.True(stale.Count == 0, $"Security/{TableFile} has rows for routes that no longer exist: {string.Join("; ", stale)}. Remove them.");
    }

    [Fact]
    public async Task EveryRoute_EveryIdentity_AnswersAsTheTableSays()
    {
        // Arrange
        var table = ReadTable();
        var tokens = Identities.ToDictionary(i => i, TokenFor);
        var cells = ApiRoute.All.SelectMany(r => Identities.Select(i => (Route: r, Identity: i))).ToList();
        var actual = new ConcurrentDictionary<(string, string), string>();

        // Act: reads in parallel; changes one at a time in a fixed order, each on objects of its own where it deletes or edits.
        await Parallel.ForEachAsync(cells.Where(c => c.Route.Method == "GET"), new ParallelOptions { MaxDegreeOfParallelism = 8 },
            async (cell, _) => actual[(cell.Route.Key, cell.Identity)] = await SendAsync(cell.Route, tokens[cell.Identity]));
        foreach (var cell in cells.Where(c => c.Route.Method != "GET"))
        {
            actual[(cell.Route.Key, cell.Identity)] = await SendAsync(cell.Route, tokens[cell.Identity]);
        }

        // Assert
        if (Environment.GetEnvironmentVariable(WriteVariable) is { Length: > 0 } path)
        {
            File.WriteAllText(path, Format(ApiRoute.All.Select(r => (r.Key, Identities.Select(i => actual[(r.Key, i)]).ToArray()))));
        }

        var differing = cells
            .Where(c => table.ContainsKey(c.Route.Key))
            .Select(c => (c.Route.Key, c.Identity, Expected: table[c.Route.Key][Array.IndexOf(Identities, c.Identity)], Actual: actual[(c.Route.Key, c.Identity)]))
            .Where(c => c.Expected != c.Actual)
            .ToList();
        output.WriteLine(
            $"Authorization matrix: {ApiRoute.All.Count} routes x {Identities.Length} identities = {cells.Count} cells, {differing.Count} differ " +
            $"({cells.Count(c => c.Route.IsTwilioWebhook)} cells on Twilio webhooks, {cells.Count(c => !c.Route.IsTwilioWebhook)} on token routes).");
        Assert.True(differing.Count == 0,
            $"{differing.Count} of {cells.Count} cells differ from Security/{TableFile} (route | identity | expected | actual):\n" +
            string.Join("\n", differing.Select(d => $"{d.Key} | {d.Identity} | {d.Expected} | {d.Actual}")));
    }

    private string? TokenFor(string identity) => identity switch
    {
        "anonymous" => null,
        "expired" => server.Token(server.AdminId, server.OrgId, SecurityServer.CustomerTenantId, AppRoles.Admin, DateTimeOffset.UtcNow.AddHours(-3)),
        "foreign-tenant" => server.ForeignTenantToken(server.AdminId, server.OrgId, AppRoles.Admin),
        "rep" => server.Token(server.RepId, server.OrgId, SecurityServer.CustomerTenantId, AppRoles.Rep),
        "manager" => server.Token(server.ManagerId, server.OrgId, SecurityServer.CustomerTenantId, AppRoles.Manager),
        "admin" => server.Token(server.AdminId, server.OrgId, SecurityServer.CustomerTenantId, AppRoles.Admin),
        "support-vendor" => server.Token("sec-support", "playbooks-vendor", SecurityServer.SupportTenantId, AppRoles.Support),
        "support-customer" => server.Token("sec-fake-support", server.OrgId, SecurityServer.CustomerTenantId, AppRoles.Support),
        "other-rep" => server.Token("other-rep", server.OtherOrgId, SecurityServer.OtherCustomerTenantId, AppRoles.Rep),
        "other-manager" => server.Token("other-manager", server.OtherOrgId, SecurityServer.OtherCustomerTenantId, AppRoles.Manager),
        "other-admin" => server.Token("other-admin", server.OtherOrgId, SecurityServer.OtherCustomerTenantId, AppRoles.Admin),
        "other-support-customer" => server.Token("other-fake-support", server.OtherOrgId, SecurityServer.OtherCustomerTenantId, AppRoles.Support),
        _ => throw new ArgumentOutOfRangeException(nameof(identity)),
    };

    private async Task<string> SendAsync(ApiRoute route, string? token)
    {
        using var client = server.Client(token);
        var isTeam = route.Template.Contains("/teams/", StringComparison.Ordinal);
        // A change or a delete gets a group of its own, so one identity's success cannot turn another's cell into a 404.
        var groupId = route.Parameters.Contains("id") && !isTeam && route.Method != "GET" ? await server.CreateGroupAsync($"Matrix {Guid.NewGuid():N}") : server.GroupId;
        var path = route.Fill(name => name switch
        {
            "id" when isTeam => SecurityServer.TeamId,
            "id" => groupId,
            "userId" => server.RepId,
            "orgId" => server.OrgId,
            "callSid" => server.CallSid,
            _ => "unknown-" + name,
        });
        using var request = new HttpRequestMessage(new HttpMethod(route.Method), path);
        if (route.IsTwilioWebhook)
        {
            // Unsigned: whoever sends it, a webhook without X-Twilio-Signature is refused.
            request.Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["CallSid"] = "CA" + new string('0', 32) });
        }
        else if (route.HasBody)
        {
            request.Content = JsonContent.Create(SampleBodies.Valid(route.RequestType));
        }

        using var response = await client.SendAsync(request);
        return ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    private static Dictionary<string, string[]> ReadTable()
    {
        var lines = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Security", TableFile))
            .Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
        var header = lines[0].Split('\t');
        Assert.Equal(["method", "route", .. Identities], header);
        return lines.Skip(1).Select(l => l.Split('\t')).ToDictionary(c => $"{c[0]} {c[1]}", c => c[2..]);
    }

    private static string Format(IEnumerable<(string Key, string[] Cells)> rows)
    {
        var text = new StringBuilder();
        text.AppendLine("# Expected HTTP status per route (discovered from the Function App) and identity. See AuthorizationMatrixTests.");
        text.AppendLine(string.Join('\t', ["method", "route", .. Identities]));
        foreach (var (key, cells) in rows)
        {
            var split = key.IndexOf(' ');
            text.AppendLine(string.Join('\t', [key[..split], key[(split + 1)..], .. cells]));
        }

        return text.ToString();
    }
}
