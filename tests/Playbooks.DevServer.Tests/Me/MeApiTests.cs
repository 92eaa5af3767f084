using System.Net;
using System.Net.Http.Json;
using Playbooks.DevServer.Tests.Http;

namespace Playbooks.DevServer.Tests.Me;

[Collection(DevServerCollection.Name)]
public sealed class MeApiTests(DevServerFactory server)
{
    [Fact]
    public async Task GetMe_SeededRep_ReturnsPreferenceOptionsPermissionsAndTelephony()
    {
        var rep = await server.SignedInClientAsync("rep-both");

        var response = await rep.GetAsync("/api/me");

        var me = await response.JsonAsync(HttpStatusCode.OK);
        Assert.Equal("rep-both", me.GetProperty("user").Str("id"));
        Assert.Equal("acme-demo", me.GetProperty("org").Str("id"));
        Assert.Equal("computer", me.Str("callingPreference"));
        Assert.Equal(["computer", "phone"], me.Strings("callingOptions"));
        Assert.True(me.GetProperty("canPlaceCalls").GetProperty("computer").GetProperty("allowed").GetBoolean());
        Assert.Equal("+15005550001", me.Str("agentPhoneNumber"));
        Assert.Equal(["pcmu", "opus"], me.GetProperty("calling").Strings("codecPreferences"));
        Assert.Equal("record-from-answer", me.GetProperty("calling").Str("recording"));
        Assert.Equal("simulated", me.Str("telephony"));
        Assert.Matches("^\"[0-9a-f]{32}\"$", response.ETag());
        Assert.NotEqual(me.Str("version"), response.ETag());
    }

    [Fact]
    public async Task GetMe_WithoutToken_Returns401()
    {
        var response = await server.CreateClient().GetAsync("/api/me");

        await response.ProblemAsync(HttpStatusCode.Unauthorized, "unauthenticated");
    }

    [Fact]
    public async Task GetMe_SignedInUserOfUnprovisionedOrg_Returns403AskingToContactSupport()
    {
        var client = await server.SignedInClientAsync("someone", "never-provisioned", "Rep");

        var response = await client.GetAsync("/api/me");

        var problem = await response.ProblemAsync(HttpStatusCode.Forbidden, "org-not-provisioned");
        Assert.Contains("support", problem.Str("detail"));
    }

    [Fact]
    public async Task PutCallingPreference_UnknownValue_Returns400NamingPreference()
    {
        var rep = await server.SignedInClientAsync("rep-both");

        var response = await rep.PutAsync("/api/me/calling-preference", new { preference = "carrier-pigeon" });

        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest, "unknown-calling-preference");
        Assert.Equal("preference", problem.Str("field"));
    }

    [Fact]
    public async Task PutCallingPreference_UnknownProperty_Returns400()
    {
        var rep = await server.SignedInClientAsync("rep-both");

        var response = await rep.PutAsync("/api/me/calling-preference", new { preference = "phone", forEveryone = true });

        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest, "body-malformed");
        Assert.Equal("forEveryone", problem.Str("field"));
    }

    [Fact]
    public async Task PatchMe_NationalNumber_IsStoredInE164()
    {
        var org = await TestOrg.CreateAsync(server);
        var rep = await org.RepAsync("rep-1");

        var response = await rep.PatchAsync("/api/me", new { agentPhoneNumber = "(415) 555-2671" });

        var me = await response.JsonAsync(HttpStatusCode.OK);
        Assert.Equal("+14155552671", me.Str("agentPhoneNumber"));
        Assert.Equal("+14155552671", (await (await rep.GetAsync("/api/me")).JsonAsync(HttpStatusCode.OK)).Str("agentPhoneNumber"));
    }

    [Fact]
    public async Task PatchMe_InvalidPhoneNumber_Returns400NamingAgentPhoneNumber()
    {
        var org = await TestOrg.CreateAsync(server);
        var rep = await org.RepAsync("rep-1");

        var response = await rep.PatchAsync("/api/me", new { agentPhoneNumber = "12" });

        // The agent phone passes the destination policy, so its refusal codes are the policy's.
        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest, "destination-malformed");
        Assert.Equal("agentPhoneNumber", problem.Str("field"));
    }

    [Fact]
    public async Task PatchMe_WithoutAgentPhoneNumber_Returns400AndKeepsThePhone()
    {
        var org = await TestOrg.CreateAsync(server);
        var rep = await org.RepAsync("rep-1");
        await (await rep.PatchAsync("/api/me", new { agentPhoneNumber = "+14155552671" })).JsonAsync(HttpStatusCode.OK);

        var response = await rep.PatchAsync("/api/me", new { });

        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest, "invalid-field");
        Assert.Equal("agentPhoneNumber", problem.Str("field"));
        Assert.Equal("+14155552671", (await (await rep.GetAsync("/api/me")).JsonAsync(HttpStatusCode.OK)).Str("agentPhoneNumber"));
    }

    [Fact]
    public async Task PutCallingPreference_NewUserWithoutGroup_Returns403PreferenceNotPermitted()
    {
        var org = await TestOrg.CreateAsync(server);
        var rep = await org.RepAsync("rep-1");

        var response = await rep.PutAsJsonAsync("/api/me/calling-preference", new { preference = "computer" });

        await response.ProblemAsync(HttpStatusCode.Forbidden, "preference-not-permitted");
    }
}
