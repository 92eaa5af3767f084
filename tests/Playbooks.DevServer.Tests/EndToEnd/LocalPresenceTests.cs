using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Playbooks.Calling.CallerIds;
using Playbooks.DevServer.Tests.Http;
using Playbooks.DevServer.Tests.TwilioSimulator;

namespace Playbooks.DevServer.Tests.EndToEnd;

/// <summary>
/// Local presence on the dev server: the org's pool of Support-assigned numbers, the caller-ID preview the dialer shows,
/// and the number the simulated prospect really sees, recorded on the activity with its tier.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class LocalPresenceTests(EndToEndServer server)
{
    private static string Random4() => Random.Shared.Next(1000, 10_000).ToString("D4");

    /// <summary>An org with local presence on and a pool of a New Jersey 201 number, a Colorado 720 number and a Quebec number.</summary>
    private async Task<(CallingOrg Org, string AreaCode201, string Colorado720, string Quebec)> OrgWithPoolAsync()
    {
        var org = await CallingOrg.CreateAsync(server, recording: "off");
        string[] pool = [$"+1201555{Random4()}", $"+1720555{Random4()}", $"+1514555{Random4()}"];
        var store = server.Services.GetRequiredService<CallerIdStore>();
        foreach (var number in pool)
        {
            await store.UpsertAsync(new CallerIdAssignment(number, org.OrgId, DateTimeOffset.UtcNow, "support"));
        }

        using var admin = await org.AdminAsync();
        var patched = await (await admin.PatchAsync("/api/admin/org", new { localPresence = true })).JsonAsync(HttpStatusCode.OK);
        Assert.True(patched.GetProperty("localPresence").GetBoolean());
        return (org, pool[0], pool[1], pool[2]);
    }

    [Fact]
    public async Task Preview_EachTier_ShowsTheNumberTheProspectWillSee()
    {
        // Arrange
        var (org, areaCode201, colorado720, quebec) = await OrgWithPoolAsync();
        using var rep = await org.RepAsync();

        // Act
        async Task<JsonElement> Preview(string to) =>
            await (await rep.GetAsync($"/api/calls/caller-id?to={Uri.EscapeDataString(to)}")).JsonAsync(HttpStatusCode.OK);
        var sameArea = await Preview("+12015550100");
        var sameState = await Preview("+13035550100"); // Denver 303: the pool has a 720 number in Colorado
        var sameCountry = await Preview("+14165550100");
        var fallback = await Preview("+19075550100"); // Alaska: no pool number in the state; the US default wins

        // Assert
        Assert.Equal((areaCode201, "area-code"), (sameArea.Str("callerId"), sameArea.Str("tier")));
        Assert.Equal((colorado720, "region"), (sameState.Str("callerId"), sameState.Str("tier")));
        Assert.Equal((quebec, "country"), (sameCountry.Str("callerId"), sameCountry.Str("tier")));
        Assert.Equal("+19075550100", fallback.Str("to"));
        Assert.Contains(fallback.Str("tier"), new[] { "country", "default" });
    }

    [Fact]
    public async Task Preview_LocalPresenceOff_AlwaysTheOrgCallerId()
    {
        // Arrange
        var org = await CallingOrg.CreateAsync(server, recording: "off");
        using var rep = await org.RepAsync();

        // Act
        var preview = await (await rep.GetAsync("/api/calls/caller-id?to=%2B12015550100")).JsonAsync(HttpStatusCode.OK);

        // Assert
        Assert.Equal((org.CallerId, "default"), (preview.Str("callerId"), preview.Str("tier")));
    }

    [Theory]
    [InlineData("")]
    [InlineData("12")]
    [InlineData("%2B1900555010")]
    public async Task Preview_BadNumber_Returns400ProblemOnTo(string to)
    {
        // Arrange
        var org = await CallingOrg.CreateAsync(server, recording: "off");
        using var rep = await org.RepAsync();

        // Act
        var response = await rep.GetAsync($"/api/calls/caller-id?to={to}");

        // Assert
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("to", (await response.JsonAsync(HttpStatusCode.BadRequest)).Str("field"));
    }

    [Fact]
    public async Task Call_LocalPresenceOn_ProspectSeesTheAreaCodeNumberAndTheActivityRecordsTheTier()
    {
        // Arrange
        var (org, areaCode201, _, _) = await OrgWithPoolAsync();
        using var rep = await org.RepAsync();

        // Act
        var callSid = await server.Simulator.ConnectAsync(await LiveDevServer.VoiceTokenAsync(rep), "+12015550100");
        await server.WaitForCallAsync(callSid, s => s.ChildStatus == "in-progress");
        (await server.Simulator.HangupAsync(callSid)).EnsureSuccessStatusCode();
        await server.WaitUntilSettledAsync(callSid);
        var activity = await Activities.WaitForSettledAsync(server, rep, callSid);

        // Assert
        Assert.Equal(areaCode201, activity.Str("callerId"));
        Assert.Equal("area-code", activity.Str("callerIdTier"));
    }
}
