using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Playbooks.Calling.People;
using Playbooks.DevServer.Tests.Http;

namespace Playbooks.DevServer.Tests.Security;

/// <summary>
/// No call we place outlives the org's call limit: the phone-based agent leg that Twilio's REST API creates carries the
/// limit itself, and so does the &lt;Dial&gt; to the prospect, checked on what the simulator received.
/// </summary>
[Collection(AgentPhoneCollection.Name)]
public sealed class CallLimitAttackTests(AgentPhoneServer server)
{
    private const string Prospect = "+12015550100";

    [Fact]
    public async Task PhoneCall_OrgLimitOf45Minutes_TheAgentLegAndTheDialBothEndAtIt()
    {
        // Arrange: a verified agent phone in an org whose calls may last 45 minutes.
        const string number = "+12015550390";
        var org = await PhoneOrg.CreateAsync(server);
        using (var admin = await org.AdminAsync())
        {
            await (await admin.PatchAsync("/api/admin/org", new { maxCallMinutes = 45 })).JsonAsync(HttpStatusCode.OK);
        }

        var people = server.Services.GetRequiredService<PersonStore>();
        var person = (await people.GetAsync(org.OrgId, PhoneOrg.RepId))!;
        await people.UpdateAsync(person with { AgentPhoneNumber = number, AgentPhoneVerified = true }, person.Version!);
        using var rep = await org.RepAsync();

        // Act
        var started = await (await rep.PostAsJsonAsync("/api/calls", new { to = Prospect })).JsonAsync(HttpStatusCode.Created);
        var call = await server.WaitForCallAsync(started.Str("callSid"), s => s.ChildStatus == "in-progress");
        (await rep.PostAsync($"/api/calls/{call.CallSid}/end", null)).EnsureSuccessStatusCode();

        // Assert
        var events = await server.Simulator.EventsAsync();
        var create = Assert.Single(events, e => e.GetProperty("kind").GetString() == "rest-request"
            && e.GetProperty("params").TryGetProperty("To", out var to) && to.GetString() == number
            && e.GetProperty("params").GetProperty("Url").GetString()!.Contains("/api/twilio/voice", StringComparison.Ordinal));
        Assert.Equal("2700", create.GetProperty("params").GetProperty("TimeLimit").GetString());
        var dials = (await server.Simulator.EventsAsync(call.CallSid))
            .Where(e => e.GetProperty("kind").GetString() == "twiml-received" && Body(e).Contains("<Dial", StringComparison.Ordinal))
            .Select(Body).ToList();
        Assert.Contains(dials, twiml => twiml.Contains("timeLimit=\"2700\"", StringComparison.Ordinal));
    }

    private static string Body(JsonElement e) => e.TryGetProperty("body", out var body) ? body.GetString() ?? "" : "";
}
