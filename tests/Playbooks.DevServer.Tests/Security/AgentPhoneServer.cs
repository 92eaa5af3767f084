using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Playbooks.Calling.Identity;
using Playbooks.Calling.Teams;
using Playbooks.DevServer.Tests.Http;
using Playbooks.DevServer.Tests.TwilioSimulator;

namespace Playbooks.DevServer.Tests.Security;

/// <summary>
/// The live dev server with the simulator at a tenth of real time, so a verification call's &lt;Gather&gt; (a spoken
/// prompt, then 10 s) waits about 2 s of real time for the digits a test sends.
/// </summary>
public sealed class AgentPhoneServer : LiveDevServer
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>(base.Settings)
    {
        ["Simulator:TimeScale"] = "0.1",
    };

    /// <summary>A client of the real port signed in as any identity in any org.</summary>
    public Task<HttpClient> SignInAsync(string userId, string orgId, params string[] roles) => SignInAsync(new { userId, orgId, roles });

    /// <summary>A client of the real port signed in as a seeded demo user (Support signs in from the support tenant).</summary>
    public Task<HttpClient> SignInSeededAsync(string userId) => SignInAsync(new { userId });

    private async Task<HttpClient> SignInAsync(object identity)
    {
        var client = Client();
        var response = await client.PostAsJsonAsync("/dev/token", identity);
        response.EnsureSuccessStatusCode();
        var token = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return client;
    }
}

[CollectionDefinition(Name)]
public sealed class AgentPhoneCollection : ICollectionFixture<AgentPhoneServer>
{
    public const string Name = "agent phone";
}

/// <summary>
/// An org of the test's own, set up through the API: a caller ID, a group allowing phone-based calls, team East
/// managed by the manager, and a phone-based rep on it with no agent phone yet.
/// </summary>
internal sealed class PhoneOrg(AgentPhoneServer server, string orgId)
{
    public const string RepId = "rep-1";
    public const string ManagerId = "manager-1";
    public const string AdminId = "admin-1";

    public string OrgId => orgId;

    public static async Task<PhoneOrg> CreateAsync(AgentPhoneServer server)
    {
        var orgId = $"ap-{Guid.NewGuid():N}"[..20];
        // One number belongs to one org: each test org gets a caller ID of its own from the simulator's owned range.
        var callerId = $"+1500{Random.Shared.Next(200, 1000)}{Random.Shared.Next(0, 10_000):D4}";
        using (var support = await server.SignInSeededAsync("support"))
        {
            await (await support.PostAsJsonAsync("/api/support/orgs", new { orgId, name = $"Agent phone {orgId}" })).JsonAsync(HttpStatusCode.Created);
            await (await support.PutAsync($"/api/support/orgs/{orgId}/caller-ids/{Uri.EscapeDataString(callerId)}", null)).JsonAsync(HttpStatusCode.OK);
        }

        var org = new PhoneOrg(server, orgId);
        using var admin = await server.SignInAsync(AdminId, orgId, AppRoles.Admin);
        await (await admin.PatchAsync("/api/admin/org", new { callerId })).JsonAsync(HttpStatusCode.OK);
        var group = await (await admin.PostAsJsonAsync("/api/admin/permission-groups", new { name = "Phone", allowComputer = false, allowPhone = true }))
            .JsonAsync(HttpStatusCode.Created);
        // Teams have no create API; the directory's own store stands in for the admin tooling that makes them.
        await server.Services.GetRequiredService<TeamStore>().UpsertAsync(new Team { OrgId = orgId, Id = "east", Name = "East", ManagerUserIds = [ManagerId] });
        using (var rep = await org.RepAsync())
        {
            await (await rep.GetAsync("/api/me")).JsonAsync(HttpStatusCode.OK);
        }

        await (await admin.PatchAsync($"/api/admin/people/{RepId}", new { permissionGroupId = group.Str("id"), teamId = "east", callingPreference = "phone" }))
            .JsonAsync(HttpStatusCode.OK);
        return org;
    }

    public Task<HttpClient> RepAsync() => server.SignInAsync(RepId, orgId, AppRoles.Rep);

    public Task<HttpClient> ManagerAsync() => server.SignInAsync(ManagerId, orgId, AppRoles.Manager);

    public Task<HttpClient> AdminAsync() => server.SignInAsync(AdminId, orgId, AppRoles.Admin);

    /// <summary>The verification call placed for this org's rep (found by its TwiML request), once it is listening for digits.</summary>
    public async Task<string> VerificationCallListeningAsync(string number, int gathers = 1)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            var events = await server.Simulator.EventsAsync();
            var callSid = events
                .Where(e => e.GetProperty("kind").GetString() == "twiml-request"
                    && e.TryGetProperty("url", out var url)
                    && url.GetString()!.Contains($"/api/twilio/agent-verification?orgId={orgId}&userId={RepId}&", StringComparison.Ordinal)
                    && e.GetProperty("params").GetProperty("To").GetString() == number)
                .Select(e => e.GetProperty("callSid").GetString())
                .LastOrDefault();
            if (callSid is not null
                && events.Count(e => e.GetProperty("kind").GetString() == "gather" && e.GetProperty("callSid").GetString() == callSid) >= gathers)
            {
                return callSid;
            }

            Assert.True(DateTime.UtcNow < deadline, $"no verification call to {number} listening for digits");
            await Task.Delay(10);
        }
    }

    /// <summary>Every simulator event about a call to <paramref name="number"/> whose TwiML came from the voice webhook (a sales call).</summary>
    public async Task<IReadOnlyList<JsonElement>> SalesCallsToAsync(string number)
    {
        var events = await server.Simulator.EventsAsync();
        return events.Where(e => e.GetProperty("kind").GetString() == "twiml-request"
                && e.TryGetProperty("url", out var url) && url.GetString()!.Contains("/api/twilio/voice", StringComparison.Ordinal)
                && e.GetProperty("params").TryGetProperty("To", out var to) && to.GetString() == number)
            .ToList();
    }

    public static async Task<JsonElement> MeAsync(HttpClient rep) => await (await rep.GetAsync("/api/me")).JsonAsync(HttpStatusCode.OK);
}
