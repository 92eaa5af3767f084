using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Playbooks.Calling.Calls;
using Playbooks.Calling.Orgs;
using Playbooks.DevServer.Tests.Http;

namespace Playbooks.DevServer.Tests.Quality;

[Collection(DevServerCollection.Name)]
public sealed class QualityReportsApiTests(DevServerFactory server)
{
    private static string NewCallSid() => $"CA{Guid.NewGuid():N}";

    /// <summary>A call the user placed, as the call ledger records it when a call starts.</summary>
    private async Task<string> PlacedCallAsync(string orgId, string userId)
    {
        var callSid = NewCallSid();
        await server.Services.GetRequiredService<CallLedger>().RecordAsync(
            new CallRecord(orgId, callSid, userId, CallingMethod.Computer, "+12015550100", DateTimeOffset.UtcNow));
        return callSid;
    }

    [Fact]
    public async Task PostReport_Rep_Returns201WithTheCallerAsReporter()
    {
        var org = await TestOrg.CreateAsync(server);
        var rep = await org.RepAsync("rep-1");
        var callSid = await PlacedCallAsync(org.OrgId, "rep-1");

        var response = await rep.PostAsJsonAsync("/api/quality-reports", new
        {
            callSid,
            score = 2,
            issues = new[] { "choppy-audio", "echo" },
            comment = "Robot voice after a minute",
            samples = new[] { new { rtt = 240.0, jitter = 35.5, mos = 3.1, packetsLost = 12 } },
            edge = "ashburn",
        });

        var report = await response.JsonAsync(HttpStatusCode.Created);
        Assert.Equal("rep-1", report.Str("reporterUserId"));
        Assert.Equal(callSid, report.Str("callSid"));
        Assert.Equal(["choppy-audio", "echo"], report.Strings("issues"));
        Assert.Equal(240.0, report.GetProperty("samples")[0].GetProperty("rtt").GetDouble());
    }

    [Fact]
    public async Task ListReports_Admin_SeesOrgsReportsNewestFirst()
    {
        var org = await TestOrg.CreateAsync(server);
        var first = await org.RepAsync("rep-1");
        var second = await org.RepAsync("rep-2");
        await (await first.PostAsJsonAsync("/api/quality-reports", new { callSid = await PlacedCallAsync(org.OrgId, "rep-1"), score = 4 })).JsonAsync(HttpStatusCode.Created);
        await (await second.PostAsJsonAsync("/api/quality-reports", new { callSid = await PlacedCallAsync(org.OrgId, "rep-2"), score = 1, issues = new[] { "dropped-call" } })).JsonAsync(HttpStatusCode.Created);
        var admin = await org.AdminAsync();

        var page = await (await admin.GetAsync("/api/admin/quality-reports")).JsonAsync(HttpStatusCode.OK);

        Assert.Equal(["rep-2", "rep-1"], page.Items().Select(r => r.Str("reporterUserId")));
        Assert.Equal(JsonValueKind.Null, page.GetProperty("continuationToken").ValueKind);
    }

    [Fact]
    public async Task ListReports_Manager_SeesTheirTeamsReportsOnly()
    {
        var eastSid = await PlacedCallAsync("acme-demo", "rep-both");
        var westSid = await PlacedCallAsync("acme-demo", "rep-computer-only");
        await (await (await server.SignedInClientAsync("rep-both")).PostAsJsonAsync("/api/quality-reports", new { callSid = eastSid, score = 3 }))
            .JsonAsync(HttpStatusCode.Created);
        await (await (await server.SignedInClientAsync("rep-computer-only")).PostAsJsonAsync("/api/quality-reports", new { callSid = westSid, score = 3 }))
            .JsonAsync(HttpStatusCode.Created);
        var manager = await server.SignedInClientAsync("manager");
        var admin = await server.SignedInClientAsync("admin");

        var managed = await (await manager.GetAsync("/api/admin/quality-reports?pageSize=200")).JsonAsync(HttpStatusCode.OK);
        var all = await (await admin.GetAsync("/api/admin/quality-reports?pageSize=200")).JsonAsync(HttpStatusCode.OK);

        var managedSids = managed.Items().Select(r => r.Str("callSid")).ToList();
        Assert.Contains(eastSid, managedSids);
        Assert.DoesNotContain(westSid, managedSids);
        Assert.Superset(new HashSet<string> { eastSid, westSid }, all.Items().Select(r => r.Str("callSid")).ToHashSet());
    }

    [Fact]
    public async Task ListReports_Rep_Returns403()
    {
        var rep = await server.SignedInClientAsync("rep-both");

        var response = await rep.GetAsync("/api/admin/quality-reports");

        await response.ProblemAsync(HttpStatusCode.Forbidden, "role-required");
    }

    [Fact]
    public async Task ListReports_AdminOfAnotherOrg_SeesNoneOfTheDemoOrgsReports()
    {
        var callSid = await PlacedCallAsync("acme-demo", "rep-both");
        await (await (await server.SignedInClientAsync("rep-both")).PostAsJsonAsync("/api/quality-reports", new { callSid, score = 5 }))
            .JsonAsync(HttpStatusCode.Created);
        var outsider = await (await TestOrg.CreateAsync(server)).AdminAsync();

        var page = await (await outsider.GetAsync("/api/admin/quality-reports")).JsonAsync(HttpStatusCode.OK);

        Assert.Empty(page.Items());
    }

    [Fact]
    public async Task PostReport_SomeoneElsesCall_Returns400NamingCallSid()
    {
        var colleaguesCall = await PlacedCallAsync("acme-demo", "rep-computer-only");
        var rep = await server.SignedInClientAsync("rep-both");

        var response = await rep.PostAsJsonAsync("/api/quality-reports", new { callSid = colleaguesCall, score = 1 });

        Assert.Equal("callSid", (await response.ProblemAsync(HttpStatusCode.BadRequest, "unknown-call")).Str("field"));
    }

    [Fact]
    public async Task PostReport_SixtyOneSamples_Returns400NamingSamples()
    {
        var rep = await server.SignedInClientAsync("rep-both");
        var samples = Enumerable.Range(0, 61).Select(i => new { rtt = 100.0 + i }).ToArray();

        var response = await rep.PostAsJsonAsync("/api/quality-reports", new { callSid = NewCallSid(), score = 3, samples });

        Assert.Equal("samples", (await response.ProblemAsync(HttpStatusCode.BadRequest, "invalid-field")).Str("field"));
    }

    [Theory]
    [InlineData("""{"callSid":"CA123","score":3}""", "callSid")]
    [InlineData("""{"score":3}""", "callSid")]
    [InlineData("""{"callSid":"CA0123456789abcdef0123456789abcdef","score":6}""", "score")]
    [InlineData("""{"callSid":"CA0123456789abcdef0123456789abcdef"}""", "score")]
    [InlineData("""{"callSid":"CA0123456789abcdef0123456789abcdef","score":2.5}""", "score")]
    [InlineData("""{"callSid":"CA0123456789abcdef0123456789abcdef","score":3,"issues":["bad-vibes"]}""", "issues")]
    [InlineData("""{"callSid":"CA0123456789abcdef0123456789abcdef","score":3,"samples":[{"mos":7}]}""", "samples[0].mos")]
    [InlineData("""{"callSid":"CA0123456789abcdef0123456789abcdef","score":3,"samples":[{"rtt":-1}]}""", "samples[0].rtt")]
    [InlineData("""{"callSid":"CA0123456789abcdef0123456789abcdef","score":3,"edge":"atlantis"}""", "edge")]
    [InlineData("""{"callSid":"CA0123456789abcdef0123456789abcdef","score":3,"reporterUserId":"someone-else"}""", "reporterUserId")]
    public async Task PostReport_BadInput_Returns400NamingTheField(string body, string field)
    {
        var rep = await server.SignedInClientAsync("rep-both");

        var response = await rep.SendAsync(HttpMethod.Post, "/api/quality-reports", body);

        Assert.Equal(field, (await response.JsonAsync(HttpStatusCode.BadRequest)).Str("field"));
    }
}
