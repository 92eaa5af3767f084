using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Playbooks.Calling.People;
using Playbooks.DevServer.Tests.Calls;
using Playbooks.DevServer.Tests.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Playbooks.DevServer.Tests.Security;

/// <summary>
/// The agent's phone is a destination like any other: a rep or manager cannot point it at a premium number or a short
/// code, and no number is dialed for a sales call before its owner proved, on a call to it, that they hold it.
/// </summary>
[Collection(AgentPhoneCollection.Name)]
public sealed class AgentPhoneAttackTests(AgentPhoneServer server)
{
    private const string Prospect = "+12015550100";

    [Theory]
    [InlineData("+449012345678", "destination-premium-rate")] // UK 09 premium rate
    [InlineData("+448431234567", "destination-premium-rate")] // UK 084 shared cost
    [InlineData("+447012345678", "destination-premium-rate")] // UK 070 personal number
    [InlineData("+19002345678", "destination-premium-rate")] // US 900
    [InlineData("611", "destination-not-dialable")] // carrier short code
    [InlineData("911", "destination-not-dialable")]
    [InlineData("+33612345678", "destination-country-not-allowed")]
    public async Task RepSetsAgentPhone_PremiumShortCodeOrForeign_Refused400AndNeverCalled(string number, string code)
    {
        // Arrange
        var org = await PhoneOrg.CreateAsync(server);
        using var rep = await org.RepAsync();

        // Act
        var response = await rep.PatchAsync("/api/me", new { agentPhoneNumber = number });

        // Assert
        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest, code);
        Assert.Equal("agentPhoneNumber", problem.Str("field"));
        var me = await PhoneOrg.MeAsync(rep);
        Assert.False(me.TryGetProperty("agentPhoneNumber", out var stored) && stored.ValueKind != JsonValueKind.Null, $"no agent phone stored: {me}");
        var events = await server.Simulator.EventsAsync();
        Assert.DoesNotContain(events, e => e.TryGetProperty("params", out var form) && form.TryGetProperty("To", out var to) && to.GetString() == number);
    }

    [Theory]
    [InlineData("+449012345678", "destination-premium-rate")]
    [InlineData("611", "destination-not-dialable")]
    public async Task ManagerSetsAgentPhone_PremiumOrShortCode_Refused400(string number, string code)
    {
        // Arrange
        var org = await PhoneOrg.CreateAsync(server);
        using var manager = await org.ManagerAsync();

        // Act
        var response = await manager.PatchAsync($"/api/admin/people/{PhoneOrg.RepId}", new { agentPhoneNumber = number });

        // Assert
        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest, code);
        Assert.Equal("agentPhoneNumber", problem.Str("field"));
    }

    [Fact]
    public async Task UnverifiedAgentPhone_PhoneCall_Refused403AndNeverDialedForASale()
    {
        // Arrange
        const string number = "+12015550320";
        var org = await PhoneOrg.CreateAsync(server);
        using var rep = await org.RepAsync();
        var set = await (await rep.PatchAsync("/api/me", new { agentPhoneNumber = number })).JsonAsync(HttpStatusCode.OK);

        // Act
        var response = await rep.PostAsJsonAsync("/api/calls", new { to = Prospect });

        // Assert
        await response.ProblemAsync(HttpStatusCode.Forbidden, "agent-phone-unverified");
        Assert.False(set.GetProperty("agentPhone").GetProperty("verified").GetBoolean());
        Assert.Equal("agent-phone-unverified", set.GetProperty("canPlaceCalls").GetProperty("phone").Str("reason"));
        await org.VerificationCallListeningAsync(number); // the only call it gets asks for the code
        Assert.Empty(await org.SalesCallsToAsync(number));
    }

    [Fact]
    public async Task FullFlow_WrongCodeThenRightCode_VerifiesAndThePhoneCallDialsIt()
    {
        // Arrange
        const string number = "+12015550330";
        var org = await PhoneOrg.CreateAsync(server);
        using var rep = await org.RepAsync();
        var set = await (await rep.PatchAsync("/api/me", new { agentPhoneNumber = number })).JsonAsync(HttpStatusCode.OK);
        var verification = set.GetProperty("agentPhone").GetProperty("verification");
        var code = verification.Str("code");
        Assert.Matches("^[0-9]{6}$", code);
        Assert.True(verification.GetProperty("expiresAt").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(9));
        var wrong = code == "000000" ? "111111" : "000000";

        // Act: answer the call, enter a wrong code, then the code shown on screen.
        var callSid = await org.VerificationCallListeningAsync(number);
        (await server.Simulator.SendDigitsAsync(callSid, wrong)).EnsureSuccessStatusCode();
        await org.VerificationCallListeningAsync(number, gathers: 2);
        var afterWrong = await PhoneOrg.MeAsync(rep);
        (await server.Simulator.SendDigitsAsync(callSid, code)).EnsureSuccessStatusCode();
        await server.Simulator.WaitUntilSettledAsync(callSid);
        var me = await PhoneOrg.MeAsync(rep);
        var started = await (await rep.PostAsJsonAsync("/api/calls", new { to = Prospect })).JsonAsync(HttpStatusCode.Created);

        // Assert
        Assert.False(afterWrong.GetProperty("agentPhone").GetProperty("verified").GetBoolean());
        Assert.Equal(2, afterWrong.GetProperty("agentPhone").GetProperty("verification").GetProperty("attemptsLeft").GetInt32());
        Assert.True(me.GetProperty("agentPhone").GetProperty("verified").GetBoolean());
        Assert.False(me.GetProperty("agentPhone").TryGetProperty("verification", out _), "no code once verified");
        Assert.True(me.GetProperty("canPlaceCalls").GetProperty("phone").GetProperty("allowed").GetBoolean());
        var said = (await server.Simulator.EventsAsync(callSid)).Where(e => e.GetProperty("kind").GetString() == "say")
            .Select(e => e.GetProperty("detail").GetString()).ToList();
        Assert.Contains("That code is not right.", said);
        Assert.Contains(said, s => s!.Contains("now verified", StringComparison.Ordinal));
        Assert.DoesNotContain(said, s => s!.Contains(code, StringComparison.Ordinal));
        var call = await server.WaitForCallAsync(started.Str("callSid"), s => s.ChildStatus == "in-progress");
        Assert.Equal((number, Prospect), (call.To, (await server.Simulator.GetCallAsync(call.ChildCallSid!)).To));
        (await rep.PostAsync($"/api/calls/{call.CallSid}/end", null)).EnsureSuccessStatusCode();
    }

    [Fact]
    public async Task ManagerSetsNumber_MemberSeesTheCodeManagerNever_AndItIsNotDialedUntilVerified()
    {
        // Arrange
        const string number = "+12015550340";
        var org = await PhoneOrg.CreateAsync(server);
        using var manager = await org.ManagerAsync();
        using var rep = await org.RepAsync();

        // Act
        var patched = await manager.PatchAsync($"/api/admin/people/{PhoneOrg.RepId}", new { agentPhoneNumber = number });
        var patchedBody = await patched.Content.ReadAsStringAsync();
        var managerView = await (await manager.GetAsync($"/api/admin/people/{PhoneOrg.RepId}")).Content.ReadAsStringAsync();
        var managerMe = await (await manager.GetAsync("/api/me")).Content.ReadAsStringAsync();
        var refused = await rep.PostAsJsonAsync("/api/calls", new { to = Prospect });
        var code = (await PhoneOrg.MeAsync(rep)).GetProperty("agentPhone").GetProperty("verification").Str("code");
        var callSid = await org.VerificationCallListeningAsync(number);
        var notYetDialed = await org.SalesCallsToAsync(number);
        (await server.Simulator.SendDigitsAsync(callSid, code)).EnsureSuccessStatusCode();
        await server.Simulator.WaitUntilSettledAsync(callSid);

        // Assert
        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        Assert.DoesNotContain(code, patchedBody);
        Assert.DoesNotContain(code, managerView);
        Assert.DoesNotContain(code, managerMe);
        Assert.Contains("\"agentPhoneVerified\":false", patchedBody);
        await refused.ProblemAsync(HttpStatusCode.Forbidden, "agent-phone-unverified");
        Assert.Empty(notYetDialed);
        Assert.True((await PhoneOrg.MeAsync(rep)).GetProperty("agentPhone").GetProperty("verified").GetBoolean());
    }

    [Fact]
    public async Task RestartVerification_RightAfterSettingTheNumber_RateLimited429()
    {
        // Arrange
        var org = await PhoneOrg.CreateAsync(server);
        using var rep = await org.RepAsync();
        await (await rep.PatchAsync("/api/me", new { agentPhoneNumber = "+12015550350" })).JsonAsync(HttpStatusCode.OK);

        // Act
        var again = await rep.PostAsync("/api/me/agent-phone/verification", null);

        // Assert
        await again.ProblemAsync((HttpStatusCode)429, "agent-phone-verification-rate-limited");
        Assert.NotNull(again.Headers.RetryAfter);
    }

    [Fact]
    public async Task ChangingAVerifiedNumber_BackToUnverified()
    {
        // Arrange
        var org = await PhoneOrg.CreateAsync(server);
        var people = server.Services.GetRequiredService<PersonStore>();
        var person = (await people.GetAsync(org.OrgId, PhoneOrg.RepId))!;
        await people.UpdateAsync(person with { AgentPhoneNumber = "+12015550360", AgentPhoneVerified = true }, person.Version!);
        using var rep = await org.RepAsync();

        // Act
        var changed = await (await rep.PatchAsync("/api/me", new { agentPhoneNumber = "+12015550361" })).JsonAsync(HttpStatusCode.OK);
        var call = await rep.PostAsJsonAsync("/api/calls", new { to = Prospect });

        // Assert
        Assert.False(changed.GetProperty("agentPhone").GetProperty("verified").GetBoolean());
        await call.ProblemAsync(HttpStatusCode.Forbidden, "agent-phone-unverified");
    }

    [Fact]
    public async Task DigitsWebhook_Unsigned_Refused403AndNothingVerified()
    {
        // Arrange
        var org = await PhoneOrg.CreateAsync(server);
        using var rep = await org.RepAsync();
        var me = await (await rep.PatchAsync("/api/me", new { agentPhoneNumber = "+12015550370" })).JsonAsync(HttpStatusCode.OK);
        var code = me.GetProperty("agentPhone").GetProperty("verification").Str("code");
        var form = new Dictionary<string, string> { ["CallSid"] = "CA" + new string('0', 32), ["Digits"] = code };

        // Act
        var forged = await server.Client().PostAsync(
            $"/api/twilio/agent-verification/digits?orgId={org.OrgId}&userId={PhoneOrg.RepId}&verificationId=guess", new FormUrlEncodedContent(form));

        // Assert
        await forged.ProblemAsync(HttpStatusCode.Forbidden, "twilio-signature-invalid");
        Assert.False((await PhoneOrg.MeAsync(rep)).GetProperty("agentPhone").GetProperty("verified").GetBoolean());
    }

    [Fact]
    public async Task DigitsWebhook_SignedButForAnotherVerification_DoesNotVerify()
    {
        // Arrange: a request signed as Twilio would, with the right code, but not for the verification in progress.
        var org = await PhoneOrg.CreateAsync(server);
        using var rep = await org.RepAsync();
        var me = await (await rep.PatchAsync("/api/me", new { agentPhoneNumber = "+12015550380" })).JsonAsync(HttpStatusCode.OK);
        var code = me.GetProperty("agentPhone").GetProperty("verification").Str("code");
        var path = $"/api/twilio/agent-verification/digits?orgId={org.OrgId}&userId={PhoneOrg.RepId}&verificationId=guess";
        var form = new Dictionary<string, string> { ["CallSid"] = "CA" + new string('0', 32), ["Digits"] = code };
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(form) };
        request.Headers.Add("X-Twilio-Signature", CallsDevServerFactory.Sign(server.BaseUrl + path, form));

        // Act
        var response = await server.Client().SendAsync(request);

        // Assert
        var twiml = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("expired", twiml, StringComparison.Ordinal);
        Assert.False((await PhoneOrg.MeAsync(rep)).GetProperty("agentPhone").GetProperty("verified").GetBoolean());
    }
}
