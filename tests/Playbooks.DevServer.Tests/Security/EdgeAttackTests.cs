using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Playbooks.Calling.Calls;
using Playbooks.Calling.Identity;
using Playbooks.Calling.Orgs;
using Playbooks.DevServer.Tests.Calls;
using Playbooks.DevServer.Tests.Http;

namespace Playbooks.DevServer.Tests.Security;

/// <summary>
/// What a user of one org, or anyone on the internet, can throw at the edge of the API: oversized and chunked bodies,
/// dates out of range, forged identity claims, a Support role from a customer tenant, duplicate reports. Every one is a
/// 4xx problem+json, never a 500, and nothing lands.
/// </summary>
[Collection(DevServerCollection.Name)]
public sealed class EdgeAttackTests(CallsDevServerFactory server) : IClassFixture<CallsDevServerFactory>
{
    /// <summary>The vendor tenant of appsettings.Development.json (Auth:SupportTenantId).</summary>
    private const string SupportTenantId = "5a5e1d3c-0000-4000-8000-000000000001";

    private static string NewCallSid() => $"CA{Guid.NewGuid():N}";

    [Fact]
    public async Task TwilioStatus_FiveMegabyteForm_Returns413AndQueuesNothing()
    {
        // Arrange
        var callSid = NewCallSid();
        var form = new Dictionary<string, string>
        {
            ["CallSid"] = callSid, ["CallStatus"] = "completed", ["SequenceNumber"] = "0", ["Notes"] = new string('x', 5 * 1024 * 1024),
        };

        // Act
        var response = await server.PostWebhookAsync("/api/twilio/status", form);

        // Assert
        Assert.Equal("body", (await response.ProblemAsync(HttpStatusCode.RequestEntityTooLarge, "body-too-large")).Str("field"));
        Assert.DoesNotContain(server.Events.Messages, m => m.CallSid == callSid);
    }

    [Fact]
    public async Task TwilioStatus_FormWithThousandsOfFields_Returns403AndQueuesNothing()
    {
        // Arrange: small enough for the size cap, but more fields than the form reader accepts
        var callSid = NewCallSid();
        var form = Enumerable.Range(0, 3000).ToDictionary(i => $"f{i}", _ => "1");
        form["CallSid"] = callSid;
        form["CallStatus"] = "completed";

        // Act
        var response = await server.PostWebhookAsync("/api/twilio/status", form);

        // Assert: a form the reader refuses cannot carry a signature we can check
        await response.ProblemAsync(HttpStatusCode.Forbidden, "twilio-signature-invalid");
        Assert.DoesNotContain(server.Events.Messages, m => m.CallSid == callSid);
    }

    [Fact]
    public async Task TwilioVoice_ChunkedOversizedForm_Returns413()
    {
        // Arrange
        var form = Encoding.ASCII.GetBytes("CallSid=" + NewCallSid() + "&To=%2B12015550100&Pad=" + new string('a', 200 * 1024));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/twilio/voice") { Content = Chunked(form, "application/x-www-form-urlencoded") };
        request.Headers.Add("X-Twilio-Signature", "forged");
        request.Headers.TransferEncodingChunked = true;

        // Act
        var response = await server.CreateClient().SendAsync(request);

        // Assert
        await response.ProblemAsync(HttpStatusCode.RequestEntityTooLarge, "body-too-large");
    }

    [Fact]
    public async Task PostJson_TenMegabyteBody_Returns413()
    {
        // Arrange
        var rep = await server.SignedInClientAsync("rep-both");
        var body = $$"""{"callSid":"{{NewCallSid()}}","score":3,"comment":"{{new string('x', 10 * 1024 * 1024)}}"}""";

        // Act
        var response = await rep.SendAsync(HttpMethod.Post, "/api/quality-reports", body);

        // Assert
        await response.ProblemAsync(HttpStatusCode.RequestEntityTooLarge, "body-too-large");
    }

    [Fact]
    public async Task PostJson_ChunkedBodyWithoutContentLength_Returns413()
    {
        // Arrange
        var rep = await server.SignedInClientAsync("rep-both");
        var body = Encoding.UTF8.GetBytes($$"""{"preference":{{new string(' ', 1024 * 1024)}}"phone"}""");
        using var request = new HttpRequestMessage(HttpMethod.Put, "/api/me/calling-preference") { Content = Chunked(body, "application/json") };
        request.Headers.TransferEncodingChunked = true;

        Assert.Null(request.Content.Headers.ContentLength);

        // Act
        var response = await rep.SendAsync(request);

        // Assert
        await response.ProblemAsync(HttpStatusCode.RequestEntityTooLarge, "body-too-large");
    }

    [Theory]
    [InlineData("to=0001-01-01", "to")]
    [InlineData("from=0001-01-01", "from")]
    [InlineData("from=9999-12-31", "from")]
    [InlineData("to=9999-12-31T23:59:59Z", "to")]
    [InlineData("from=1600-01-01&to=2026-01-01", "from")]
    public async Task AdminCalls_DateOutOfRange_Returns400NamingTheField(string query, string field)
    {
        var admin = await server.SignedInClientAsync("admin");

        var response = await admin.GetAsync($"/api/admin/calls?{query}");

        Assert.Equal(field, (await response.ProblemAsync(HttpStatusCode.BadRequest, "invalid-field")).Str("field"));
    }

    [Theory]
    [InlineData("acme-demo/../other-org", "rep-1")]
    [InlineData("acme-demo#x", "rep-1")]
    [InlineData("acme-demo?x=1", "rep-1")]
    [InlineData("acme-demo", "rep\\1")]
    public async Task Me_MalformedIdentityClaim_Returns403(string orgId, string userId)
    {
        var client = await server.SignedInClientAsync(userId, orgId, AppRoles.Admin);

        var response = await client.GetAsync("/api/me");

        await response.ProblemAsync(HttpStatusCode.Forbidden, "invalid-identity-claim");
    }

    public static TheoryData<string, string> SupportRoutes => new()
    {
        { "GET", "/api/support/orgs/acme-demo" },
        { "PUT", "/api/support/orgs/acme-demo/computer-calling" },
        { "POST", "/api/support/orgs" },
    };

    [Theory]
    [MemberData(nameof(SupportRoutes))]
    public async Task SupportRoute_SupportRoleFromCustomerTenant_Returns403(string method, string path)
    {
        // Arrange: a customer admin whose own tenant granted them the Support app role
        var org = await TestOrg.CreateAsync(server);
        var impostor = await server.SignedInClientAsync("admin-1", org.OrgId, AppRoles.Admin, AppRoles.Support);
        var before = await (await (await server.SignedInClientAsync("support")).GetAsync("/api/support/orgs/acme-demo")).JsonAsync(HttpStatusCode.OK);

        // Act
        var response = await impostor.SendAsync(new HttpMethod(method), path, method == "GET" ? null : new { enabled = !before.GetProperty("computerCallingEnabled").GetBoolean(), orgId = $"x-{Guid.NewGuid():N}"[..20], name = "Hijack" });

        // Assert
        await response.ProblemAsync(HttpStatusCode.Forbidden, "role-required");
        var after = await (await (await server.SignedInClientAsync("support")).GetAsync("/api/support/orgs/acme-demo")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(before.GetProperty("computerCallingEnabled").GetBoolean(), after.GetProperty("computerCallingEnabled").GetBoolean());
    }

    [Fact]
    public async Task SupportRoute_SupportOnlyFromCustomerTenant_Returns403()
    {
        var impostor = await server.SignedInClientAsync("sneaky", "acme-demo", AppRoles.Support);

        var response = await impostor.GetAsync("/api/support/orgs/acme-demo");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("", "org.read-by-support")]
    [InlineData("/caller-ids", "caller-ids.read-by-support")]
    public async Task SupportRead_FromSupportTenant_IsAuditedInTheReadOrgWithTheTenant(string path, string action)
    {
        // Arrange
        var org = await TestOrg.CreateAsync(server);
        var support = await server.SignedInFromTenantAsync(SupportTenantId, "support-2", "vendor", AppRoles.Support);

        // Act
        (await support.GetAsync($"/api/support/orgs/{org.OrgId}{path}")).EnsureSuccessStatusCode();

        // Assert
        var audit = await (await (await org.AdminAsync()).GetAsync("/api/admin/audit")).JsonAsync(HttpStatusCode.OK);
        var read = Assert.Single(audit.Items(), e => e.Str("action") == action);
        Assert.Equal("support-2", read.Str("actorUserId"));
        Assert.Equal(SupportTenantId, read.Str("actorTenantId"));
    }

    [Fact]
    public async Task QualityReport_SameCallTwice_SecondReturns409()
    {
        // Arrange
        var org = await TestOrg.CreateAsync(server);
        var rep = await org.RepAsync("rep-1");
        var callSid = await PlacedCallAsync(org.OrgId, "rep-1");
        (await rep.PostAsJsonAsync("/api/quality-reports", new { callSid, score = 2 })).EnsureSuccessStatusCode();

        // Act
        var again = await rep.PostAsJsonAsync("/api/quality-reports", new { callSid, score = 1 });

        // Assert
        await again.ProblemAsync(HttpStatusCode.Conflict, "quality-report-exists");
        var listed = await (await (await org.AdminAsync()).GetAsync("/api/admin/quality-reports")).JsonAsync(HttpStatusCode.OK);
        Assert.Single(listed.Items());
    }

    [Fact]
    public async Task QualityReport_ConcurrentPostsOfOneCall_ExactlyOneIsCreated()
    {
        var org = await TestOrg.CreateAsync(server);
        var rep = await org.RepAsync("rep-1");
        var callSid = await PlacedCallAsync(org.OrgId, "rep-1");

        var responses = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => rep.PostAsJsonAsync("/api/quality-reports", new { callSid, score = 3 })));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
        Assert.All(responses.Where(r => r.StatusCode != HttpStatusCode.Created), r => Assert.Equal(HttpStatusCode.Conflict, r.StatusCode));
    }

    [Fact]
    public async Task QualityReport_FloodFromOneUser_Returns429WithRetryAfter()
    {
        // Arrange
        var org = await TestOrg.CreateAsync(server);
        var rep = await org.RepAsync("rep-1");
        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? last = null;

        // Act
        for (var i = 0; i < 7; i++)
        {
            last = await rep.PostAsJsonAsync("/api/quality-reports", new { callSid = await PlacedCallAsync(org.OrgId, "rep-1"), score = 3 });
            statuses.Add(last.StatusCode);
        }

        // Assert
        Assert.Equal(Enumerable.Repeat(HttpStatusCode.Created, 5), statuses.Take(5));
        await last!.ProblemAsync(HttpStatusCode.TooManyRequests, "quality-reports-rate-limited");
        Assert.True(last!.Headers.RetryAfter?.Delta > TimeSpan.Zero);
    }

    [Fact]
    public async Task WebApp_IndexAndAssets_CarryTheSecurityHeadersOfStaticWebAppConfig()
    {
        // Arrange
        using var config = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(RepoRoot(), "static-ui", "public", "staticwebapp.config.json")));
        var expected = config.RootElement.GetProperty("globalHeaders").GetProperty("Content-Security-Policy").GetString()!;

        // Act
        var response = await server.CreateClient().GetAsync("/");

        // Assert
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(expected, response.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Contains("frame-ancestors 'none'", expected);
        Assert.Contains("script-src 'self';", expected);
        Assert.Equal("strict-origin-when-cross-origin", response.Headers.GetValues("Referrer-Policy").Single());
        Assert.Contains("microphone=(self)", response.Headers.GetValues("Permissions-Policy").Single());
    }

    private async Task<string> PlacedCallAsync(string orgId, string userId)
    {
        var callSid = NewCallSid();
        await server.Services.GetRequiredService<CallLedger>().RecordAsync(
            new CallRecord(orgId, callSid, userId, CallingMethod.Computer, "+12015550100", DateTimeOffset.UtcNow));
        return callSid;
    }

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Playbooks.Functions.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Repository root not found.");
    }

    /// <summary>A body sent with Transfer-Encoding: chunked: it cannot tell its length in advance.</summary>
    private static HttpContent Chunked(byte[] body, string contentType) => new UnknownLengthContent(body, contentType);

    private sealed class UnknownLengthContent : HttpContent
    {
        private readonly byte[] _body;

        public UnknownLengthContent(byte[] body, string contentType)
        {
            _body = body;
            Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
        }

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            for (var offset = 0; offset < _body.Length; offset += 8192)
            {
                await stream.WriteAsync(_body.AsMemory(offset, Math.Min(8192, _body.Length - offset)));
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = -1;
            return false;
        }
    }
}
