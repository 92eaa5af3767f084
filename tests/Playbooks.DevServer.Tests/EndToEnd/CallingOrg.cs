using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Playbooks.Calling.Identity;
using Playbooks.Calling.People;
using Playbooks.DevServer.Tests.Http;

namespace Playbooks.DevServer.Tests.EndToEnd;

/// <summary>
/// An org of a test's own, set up the way Support and the org's admin would, through the API only: Support creates
/// it and enables computer calling, the admin sets the caller ID and recording, creates a permission group that
/// allows both methods and puts the rep in it with a computer-based preference and an agent phone.
/// </summary>
internal sealed class CallingOrg(EndToEndServer server, string orgId, string callerId)
{
    /// <summary>A number of its own, in the range the simulator owns (+1500*): a number belongs to one org only.</summary>
    public string CallerId => callerId;

    public const string RepId = "rep-1";

    public const string AdminId = "admin-1";

    /// <summary>An ordinary number the destination policy allows; the simulator answers it and stays on.</summary>
    public const string AgentPhone = "+12015550300";

    public string OrgId => orgId;

    public static async Task<CallingOrg> CreateAsync(EndToEndServer server, string recording = "record-from-answer", string agentPhone = AgentPhone)
    {
        var orgId = $"e2e-{Guid.NewGuid():N}"[..24];
        var callerId = $"+1500{Random.Shared.Next(200, 1000)}{Random.Shared.Next(0, 10_000):D4}";
        using (var support = await server.SignInAsync("support"))
        {
            await (await support.PostAsJsonAsync("/api/support/orgs", new { orgId, name = $"End-to-end {orgId}" })).JsonAsync(HttpStatusCode.Created);
            await (await support.PutAsync($"/api/support/orgs/{orgId}/computer-calling", new { enabled = true })).JsonAsync(HttpStatusCode.OK);
            await (await support.PutAsync($"/api/support/orgs/{orgId}/caller-ids/{Uri.EscapeDataString(callerId)}", new { })).JsonAsync(HttpStatusCode.OK);
        }

        server.GiveCrmSecret(orgId);
        var org = new CallingOrg(server, orgId, callerId);
        using var admin = await org.AdminAsync();
        await (await admin.PatchAsync("/api/admin/org", new { callerId, recording })).JsonAsync(HttpStatusCode.OK);
        var group = await (await admin.PostAsJsonAsync("/api/admin/permission-groups", new { name = "Both methods", allowComputer = true, allowPhone = true }))
            .JsonAsync(HttpStatusCode.Created);
        using (var rep = await org.RepAsync())
        {
            await (await rep.GetAsync("/api/me")).JsonAsync(HttpStatusCode.OK); // the first sign-in creates the person
        }

        await (await admin.PatchAsync($"/api/admin/people/{RepId}", new
        {
            permissionGroupId = group.Str("id"),
            callingPreference = "computer",
            agentPhoneNumber = agentPhone,
        })).JsonAsync(HttpStatusCode.OK);

        // The new number starts a verification call; Security/AgentPhoneAttackTests proves that flow. Here the rep is
        // taken as having entered the code, so these tests are about calls, not verification.
        var people = server.Services.GetRequiredService<PersonStore>();
        var person = (await people.GetAsync(orgId, RepId))!;
        Assert.True((await people.UpdateAsync(person with { AgentPhoneVerified = true }, person.Version!)).IsSuccess);
        return org;
    }

    public Task<HttpClient> AdminAsync() => server.SignInAsync(AdminId, orgId, AppRoles.Admin);

    public Task<HttpClient> RepAsync() => server.SignInAsync(RepId, orgId, AppRoles.Rep);

    /// <summary>Support switches the org's computer calling.</summary>
    public async Task SetComputerCallingAsync(bool enabled)
    {
        using var support = await server.SignInAsync("support");
        await (await support.PutAsync($"/api/support/orgs/{orgId}/computer-calling", new { enabled })).JsonAsync(HttpStatusCode.OK);
    }
}
