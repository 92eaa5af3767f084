using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Moq;
using Playbooks.Calling.CallerIds;
using Playbooks.Calling.Identity;
using Playbooks.Calling.Orgs;
using Playbooks.DevServer.Tests.Calls;
using Playbooks.DevServer.Tests.Http;
using Playbooks.DevServer.Tests.Support;
using Twilio.Http;

namespace Playbooks.DevServer.Tests.Security;

/// <summary>
/// Turning the shared Twilio account against other orgs: presenting another org's number as caller ID, claiming a
/// number the account does not own, and placing calls as fast as a script can.
/// </summary>
public sealed class CallerIdAttackTests : IClassFixture<CallsDevServerFactory>
{
    private readonly CallsDevServerFactory _server;

    public CallerIdAttackTests(CallsDevServerFactory server)
    {
        _server = server;
        TwilioNumbers.Answer(server.Twilio);
    }

    private async Task<(TestOrg Org, string CallerId)> OrgWithCallerIdAsync()
    {
        var org = await TestOrg.CreateAsync(_server);
        var number = TwilioNumbers.NewOwned();
        var support = await _server.SignedInClientAsync("support");
        await (await support.PutAsync($"/api/support/orgs/{org.OrgId}/caller-ids/{Uri.EscapeDataString(number)}", new { })).JsonAsync(HttpStatusCode.OK);
        return (org, number);
    }

    [Fact]
    public async Task PatchOrg_AdminOfOrgBUsesOrgAsNumber_Returns403AndOrgBKeepsItsCallerId()
    {
        var (orgA, numberA) = await OrgWithCallerIdAsync();
        var (orgB, numberB) = await OrgWithCallerIdAsync();
        var adminB = await orgB.AdminAsync();
        await (await adminB.PatchAsync("/api/admin/org", new { callerId = numberB })).JsonAsync(HttpStatusCode.OK);

        var response = await adminB.PatchAsync("/api/admin/org", new { callerId = numberA });

        var problem = await response.ProblemAsync(HttpStatusCode.Forbidden, CallerIdService.NotAssigned);
        Assert.Equal("callerId", problem.Str("field"));
        Assert.DoesNotContain(orgA.OrgId, problem.GetRawText());
        var settingsB = await (await adminB.GetAsync("/api/admin/org")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(numberB, settingsB.Str("callerId"));
    }

    [Fact]
    public async Task PatchOrg_NumberNobodyAssigned_Returns403()
    {
        var org = await TestOrg.CreateAsync(_server);
        var admin = await org.AdminAsync();

        var response = await admin.PatchAsync("/api/admin/org", new { callerId = TwilioNumbers.NewOwned() });

        await response.ProblemAsync(HttpStatusCode.Forbidden, CallerIdService.NotAssigned);
    }

    [Theory]
    [InlineData("+14155550123")] // a real-looking number the account neither owns nor has verified
    [InlineData("+19002345678")] // a premium-rate number
    public async Task AssignCallerId_NumberTheAccountDoesNotOwn_Returns400AndIsNotAssigned(string number)
    {
        var org = await TestOrg.CreateAsync(_server);
        var support = await _server.SignedInClientAsync("support");

        var response = await support.PutAsync($"/api/support/orgs/{org.OrgId}/caller-ids/{Uri.EscapeDataString(number)}", new { });

        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest, CallerIdService.NotOwned);
        Assert.Equal("phoneNumber", problem.Str("field"));
        Assert.Null(await _server.Services.GetRequiredService<CallerIdStore>().GetOwnerAsync(number));
    }

    [Fact]
    public async Task StartCall_CallerIdReleasedAfterTheAdminSetIt_IsRefusedAndTwilioIsNotCalled()
    {
        var (orgId, userId) = await _server.CreateOrgWithUserAsync(false, false, true, CallingMethod.Phone, "+15005550002");
        var number = TwilioNumbers.NewOwned();
        var support = await _server.SignedInClientAsync("support");
        await (await support.PutAsync($"/api/support/orgs/{orgId}/caller-ids/{Uri.EscapeDataString(number)}", new { })).JsonAsync(HttpStatusCode.OK);
        var admin = await _server.SignedInClientAsync("admin-1", orgId, AppRoles.Admin);
        await (await admin.PatchAsync("/api/admin/org", new { callerId = number })).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.NoContent, (await support.DeleteAsync($"/api/support/orgs/{orgId}/caller-ids/{Uri.EscapeDataString(number)}")).StatusCode);
        var rep = await _server.SignedInClientAsync(userId, orgId, AppRoles.Rep);

        var response = await rep.PostAsJsonAsync("/api/calls", new { to = "+12015550123" });

        await response.ProblemAsync(HttpStatusCode.Conflict, CallerIdService.NotAssigned);
        _server.Twilio.Verify(c => c.RequestAsync(It.Is<Request>(r => r.PostParams.Any(p => p.Key == "From" && p.Value == number))), Times.Never);
    }

    [Fact]
    public async Task StartCall_ScriptedBurst_Answers429WithRetryAfterBeforeTwilioIsFlooded()
    {
        var (orgId, userId) = await _server.CreateOrgWithUserAsync(false, false, true, CallingMethod.Phone, "+15005550002");
        var number = TwilioNumbers.NewOwned();
        await _server.Services.GetRequiredService<CallerIdStore>().AssignAsync(new CallerIdAssignment(number, orgId, DateTimeOffset.UtcNow, "test"));
        var orgs = _server.Services.GetRequiredService<OrgStore>();
        await orgs.UpsertAsync((await orgs.GetAsync(orgId))! with { CallerId = number });
        var placed = 0;
        _server.Twilio.Setup(c => c.RequestAsync(It.Is<Request>(r => r.ConstructUrl().AbsolutePath.EndsWith("/Calls.json"))))
            .Callback(() => Interlocked.Increment(ref placed))
            .ReturnsAsync(() => new Response(HttpStatusCode.Created,
                $$"""{"sid": "CA{{Guid.NewGuid():N}}", "account_sid": "AC00000000000000000000000000000de7", "status": "queued"}"""));
        var rep = await _server.SignedInClientAsync(userId, orgId, AppRoles.Rep);

        // The default budget is 10 a minute; 21 in a row must hit it even if a minute boundary falls in between.
        HttpResponseMessage? refused = null;
        for (var i = 0; i < 21 && refused is null; i++)
        {
            var response = await rep.PostAsJsonAsync("/api/calls", new { to = "+12015550123" });
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                refused = response;
            }
        }

        Assert.NotNull(refused);
        await refused.ProblemAsync(HttpStatusCode.TooManyRequests, "call-rate-limited");
        Assert.InRange(int.Parse(refused.Headers.GetValues("Retry-After").Single()), 1, 60);
        Assert.InRange(placed, 10, 20);
    }
}
