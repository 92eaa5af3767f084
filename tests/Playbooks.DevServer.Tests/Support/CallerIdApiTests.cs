using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Moq;
using Playbooks.Calling.Audit;
using Playbooks.Calling.Identity;
using Playbooks.Calling.Storage;
using Playbooks.DevServer.Tests.Calls;
using Playbooks.DevServer.Tests.Http;
using Twilio.Http;

namespace Playbooks.DevServer.Tests.Support;

/// <summary>
/// Support's caller ID routes on the dev server, with Twilio's number lists answered by the strict REST mock:
/// the account owns every +1500 number and nothing else.
/// </summary>
public sealed class CallerIdApiTests : IClassFixture<CallsDevServerFactory>
{
    private readonly CallsDevServerFactory _server;

    public CallerIdApiTests(CallsDevServerFactory server)
    {
        _server = server;
        TwilioNumbers.Answer(server.Twilio);
    }

    private static string Path(string orgId, string? number = null) =>
        $"/api/support/orgs/{orgId}/caller-ids" + (number is null ? "" : "/" + Uri.EscapeDataString(number));

    [Fact]
    public async Task Assign_Support_Returns200ListsTheNumberAndAudits()
    {
        var org = await TestOrg.CreateAsync(_server);
        var support = await _server.SignedInClientAsync("support");
        var number = TwilioNumbers.NewOwned();

        var assigned = await (await support.PutAsync(Path(org.OrgId, number), new { })).JsonAsync(HttpStatusCode.OK);
        var listed = await (await support.GetAsync(Path(org.OrgId))).JsonAsync(HttpStatusCode.OK);

        Assert.Equal((number, org.OrgId), (assigned.Str("phoneNumber"), assigned.Str("orgId")));
        Assert.Equal([number], listed.Items().Select(i => i.Str("phoneNumber")));
        var audit = await _server.Services.GetRequiredService<AuditStore>().ListAsync(org.OrgId, new PageRequest(50, null));
        Assert.Contains(audit.Items, e => e.Action == "caller-id.assigned" && e.TargetId == number && e.ActorUserId == "support");
    }

    [Fact]
    public async Task Assign_NumberHeldByAnotherOrg_Returns409AndTheOwnerKeepsIt()
    {
        var first = await TestOrg.CreateAsync(_server);
        var second = await TestOrg.CreateAsync(_server);
        var support = await _server.SignedInClientAsync("support");
        var number = TwilioNumbers.NewOwned();
        await (await support.PutAsync(Path(first.OrgId, number), new { })).JsonAsync(HttpStatusCode.OK);

        var response = await support.PutAsync(Path(second.OrgId, number), new { });

        var problem = await response.ProblemAsync(HttpStatusCode.Conflict, "caller-id-assigned-elsewhere");
        Assert.DoesNotContain(second.OrgId, problem.GetRawText());
        var listed = await (await support.GetAsync(Path(first.OrgId))).JsonAsync(HttpStatusCode.OK);
        Assert.Equal([number], listed.Items().Select(i => i.Str("phoneNumber")));
    }

    [Fact]
    public async Task Assign_TwoOrgsAtOnce_OnlyOneWins()
    {
        var orgs = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => TestOrg.CreateAsync(_server)));
        var support = await _server.SignedInClientAsync("support");
        var number = TwilioNumbers.NewOwned();

        var responses = await Task.WhenAll(orgs.Select(o => support.PutAsync(Path(o.OrgId, number), new { })));

        Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        Assert.Equal(3, responses.Count(r => r.StatusCode == HttpStatusCode.Conflict));
    }

    [Fact]
    public async Task Release_HeldNumber_Returns204AndAnotherOrgCanTakeIt()
    {
        var first = await TestOrg.CreateAsync(_server);
        var second = await TestOrg.CreateAsync(_server);
        var support = await _server.SignedInClientAsync("support");
        var number = TwilioNumbers.NewOwned();
        await (await support.PutAsync(Path(first.OrgId, number), new { })).JsonAsync(HttpStatusCode.OK);

        var released = await support.DeleteAsync(Path(first.OrgId, number));
        var again = await support.DeleteAsync(Path(first.OrgId, number));
        var taken = await support.PutAsync(Path(second.OrgId, number), new { });

        Assert.Equal(HttpStatusCode.NoContent, released.StatusCode);
        await again.ProblemAsync(HttpStatusCode.NotFound, "not-found");
        await taken.JsonAsync(HttpStatusCode.OK);
        var audit = await _server.Services.GetRequiredService<AuditStore>().ListAsync(first.OrgId, new PageRequest(50, null));
        Assert.Contains(audit.Items, e => e.Action == "caller-id.released" && e.TargetId == number);
    }

    [Fact]
    public async Task Release_ByAnotherOrgsPath_Returns404AndKeepsTheNumber()
    {
        var owner = await TestOrg.CreateAsync(_server);
        var other = await TestOrg.CreateAsync(_server);
        var support = await _server.SignedInClientAsync("support");
        var number = TwilioNumbers.NewOwned();
        await (await support.PutAsync(Path(owner.OrgId, number), new { })).JsonAsync(HttpStatusCode.OK);

        var response = await support.DeleteAsync(Path(other.OrgId, number));

        await response.ProblemAsync(HttpStatusCode.NotFound, "not-found");
        var listed = await (await support.GetAsync(Path(owner.OrgId))).JsonAsync(HttpStatusCode.OK);
        Assert.Single(listed.Items());
    }

    [Fact]
    public async Task CallerIds_UnknownOrg_Returns404()
    {
        var support = await _server.SignedInClientAsync("support");

        await (await support.GetAsync(Path("no-such-org-here"))).ProblemAsync(HttpStatusCode.NotFound, "not-found");
        await (await support.PutAsync(Path("no-such-org-here", TwilioNumbers.NewOwned()), new { })).ProblemAsync(HttpStatusCode.NotFound, "not-found");
    }

    [Fact]
    public async Task Assign_NotAPhoneNumber_Returns400NamingPhoneNumber()
    {
        var org = await TestOrg.CreateAsync(_server);
        var support = await _server.SignedInClientAsync("support");

        var problem = await (await support.PutAsync(Path(org.OrgId, "12ab"), new { })).JsonAsync(HttpStatusCode.BadRequest);

        Assert.Equal("phoneNumber", problem.Str("field"));
    }

    [Theory]
    [InlineData(AppRoles.Rep)]
    [InlineData(AppRoles.Manager)]
    [InlineData(AppRoles.Admin)]
    public async Task CallerIdRoutes_NotSupport_Return403EvenForTheirOwnOrg(string role)
    {
        var org = await TestOrg.CreateAsync(_server);
        var user = await _server.SignedInClientAsync("someone", org.OrgId, role);
        var number = TwilioNumbers.NewOwned();

        var list = await user.GetAsync(Path(org.OrgId));
        var assign = await user.PutAsync(Path(org.OrgId, number), new { });
        var release = await user.DeleteAsync(Path(org.OrgId, number));

        Assert.All([list, assign, release], r => Assert.Equal(HttpStatusCode.Forbidden, r.StatusCode));
        Assert.Equal("application/problem+json", assign.Content.Headers.ContentType?.MediaType);
        var support = await _server.SignedInClientAsync("support");
        Assert.Empty((await (await support.GetAsync(Path(org.OrgId))).JsonAsync(HttpStatusCode.OK)).Items());
    }
}

/// <summary>Twilio's IncomingPhoneNumbers and OutgoingCallerIds lists on a strict REST mock: +1500 numbers are owned.</summary>
internal static class TwilioNumbers
{
    public static string NewOwned() => $"+1500{Random.Shared.Next(200, 1000)}{Random.Shared.Next(0, 10_000):D4}";

    public static void Answer(Mock<Twilio.Clients.ITwilioRestClient> twilio)
    {
        twilio.SetupGet(c => c.AccountSid).Returns("AC00000000000000000000000000000de7");
        twilio.Setup(c => c.RequestAsync(It.Is<Request>(r => IsList(r))))
            .ReturnsAsync((Request r) => new Response(HttpStatusCode.OK, Page(r)));
    }

    private static bool IsList(Request request) =>
        request.ConstructUrl().AbsolutePath.EndsWith("/IncomingPhoneNumbers.json") || request.ConstructUrl().AbsolutePath.EndsWith("/OutgoingCallerIds.json");

    private static string Page(Request request)
    {
        var incoming = request.ConstructUrl().AbsolutePath.EndsWith("/IncomingPhoneNumbers.json");
        var number = request.QueryParams.FirstOrDefault(p => p.Key == "PhoneNumber").Value ?? "";
        var records = incoming && number.StartsWith("+1500", StringComparison.Ordinal)
            ? new[] { new Dictionary<string, string> { ["sid"] = "PN0123456789abcdef0123456789abcdef", ["phone_number"] = number } }
            : [];
        return JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            [incoming ? "incoming_phone_numbers" : "outgoing_caller_ids"] = records,
            ["first_page_uri"] = "/2010-04-01/x.json?Page=0", ["next_page_uri"] = null, ["previous_page_uri"] = null,
            ["page"] = 0, ["page_size"] = 1, ["start"] = 0, ["end"] = 0, ["uri"] = "/2010-04-01/x.json?Page=0",
        });
    }
}
