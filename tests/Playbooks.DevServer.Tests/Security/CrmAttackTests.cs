using System.Net;
using System.Web;
using Azure.Data.Tables;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Playbooks.Calling.Crm;
using Playbooks.Calling.Storage;
using Playbooks.DevServer.Tests.EndToEnd;
using Playbooks.DevServer.Tests.Http;
using Playbooks.DevServer.Tests.TwilioSimulator;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Playbooks.DevServer.Tests.Security;

/// <summary>
/// An org's admin tries to turn the CRM setting against the Twilio account every org shares, or to read what a CRM
/// says back; each attempt is refused, sends nothing anywhere, and leaves no CRM body in any answer.
/// </summary>
[Collection(DevServerCollection.Name)]
public sealed class CrmAttackTests(DevServerFactory server)
{
    private const string TwilioAuthToken = "TWILIO-AUTH-TOKEN-MUST-NOT-LEAVE";

    [Fact]
    public async Task UpdateCrm_TwilioSecretNameToAttackerHost_400NamingTheFieldNothingSaved()
    {
        var org = await TestOrg.CreateAsync(server);
        var admin = await org.AdminAsync();

        var response = await admin.PutAsync("/api/admin/crm", new
        {
            provider = "salesforce",
            instanceUrl = "https://attacker.example",
            clientId = "attacker-key",
            clientSecretName = "twilio-auth-token",
        });

        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest, "crm-host-not-allowed");
        Assert.Equal("instanceUrl", problem.Str("field"));
        var setting = await (await admin.GetAsync("/api/admin/crm")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("none", setting.Str("provider"));
        await (await admin.PostAsync("/api/admin/crm/test", null)).ProblemAsync(HttpStatusCode.BadRequest, "crm-not-configured");
        var audit = await (await admin.GetAsync("/api/admin/audit")).JsonAsync(HttpStatusCode.OK);
        Assert.DoesNotContain(audit.Items(), e => e.Str("action").StartsWith("crm.", StringComparison.Ordinal));
    }

    [Fact]
    public async Task UpdateCrm_TwilioSecretNameOnARealSalesforceHost_400OnClientSecretName()
    {
        var org = await TestOrg.CreateAsync(server);
        var admin = await org.AdminAsync();

        var response = await admin.PutAsync("/api/admin/crm", new
        {
            provider = "salesforce",
            instanceUrl = "https://acme.my.salesforce.com",
            clientId = "key",
            clientSecretName = "twilio-auth-token",
        });

        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest, "secret-name-not-allowed");
        Assert.Equal("clientSecretName", problem.Str("field"));
        Assert.Equal("none", (await (await admin.GetAsync("/api/admin/crm")).JsonAsync(HttpStatusCode.OK)).Str("provider"));
    }

    [Theory]
    [InlineData("https://evil-dynamics.com")]
    [InlineData("https://x.dynamics.com.attacker.example")]
    [InlineData("https://acme.crm.dynamics.com:8443")]
    [InlineData("https://user@acme.crm.dynamics.com")]
    [InlineData("https://20.42.0.1")]
    public async Task UpdateCrm_DynamicsLookalikeHost_400OnInstanceUrl(string instanceUrl)
    {
        var org = await TestOrg.CreateAsync(server);
        var admin = await org.AdminAsync();

        var response = await admin.PutAsync("/api/admin/crm", new
        {
            provider = "dynamics",
            instanceUrl,
            tenantId = "contoso.onmicrosoft.com",
            clientId = Guid.NewGuid().ToString(),
        });

        Assert.Equal("instanceUrl", (await response.ProblemAsync(HttpStatusCode.BadRequest, "crm-host-not-allowed")).Str("field"));
    }

    [Fact]
    public async Task UpdateCrm_DynamicsTenantIdOf32700Characters_400OnTenantIdNothingSaved()
    {
        var org = await TestOrg.CreateAsync(server);
        var admin = await org.AdminAsync();

        var response = await admin.PutAsync("/api/admin/crm", new
        {
            provider = "dynamics",
            instanceUrl = "https://acme.crm.dynamics.com",
            tenantId = new string('a', 32_696) + ".com",
            clientId = Guid.NewGuid().ToString(),
        });

        Assert.Equal("tenantId", (await response.ProblemAsync(HttpStatusCode.BadRequest, "too-long")).Str("field"));
        Assert.Equal("none", (await (await admin.GetAsync("/api/admin/crm")).JsonAsync(HttpStatusCode.OK)).Str("provider"));
        var audit = await (await admin.GetAsync("/api/admin/audit")).JsonAsync(HttpStatusCode.OK);
        Assert.DoesNotContain(audit.Items(), e => e.Str("action") == "crm.updated");
    }

    [Fact]
    public async Task TestCrm_RowSavedBeforeTheFixNamesTwilioSecret_SecretNeverRead()
    {
        using var crm = WireMockServer.Start();
        crm.Given(Request.Create().UsingAnyMethod()).RespondWith(Response.Create().WithStatusCode(200).WithBodyAsJson(new { access_token = "t", instance_url = crm.Url }));
        var org = await TestOrg.CreateAsync(server);
        server.Services.GetRequiredService<IConfiguration>()["Crm:Secrets:twilio-auth-token"] = TwilioAuthToken;
        await server.Services.GetRequiredService<TableServiceClient>().GetTableClient(TableNames.CrmConnections).UpsertEntityAsync(
            new TableEntity(org.OrgId, "connection")
            {
                ["Provider"] = "salesforce",
                ["InstanceUrl"] = crm.Url,
                ["ClientId"] = "key",
                ["ClientSecretName"] = "twilio-auth-token",
            });
        var admin = await org.AdminAsync();

        var result = await (await admin.PostAsync("/api/admin/crm/test", null)).JsonAsync(HttpStatusCode.OK);

        Assert.False(result.GetProperty("success").GetBoolean());
        Assert.Contains(CrmSecretNames.ClientSecret(org.OrgId), result.Str("message"));
        Assert.DoesNotContain(crm.LogEntries, e => e.RequestMessage.Body?.Contains(TwilioAuthToken) == true);
        Assert.Empty(crm.LogEntries);
    }

    [Fact]
    public async Task TestCrm_SignInErrorBodyCarriesMarker_MarkerInNoResponse()
    {
        const string marker = "MARKER-sign-in-body-2b9c";
        using var crm = WireMockServer.Start();
        crm.Given(Request.Create().WithPath("/services/oauth2/token").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(400).WithBodyAsJson(new { error = "invalid_client", error_description = marker }));
        var (org, admin) = await SalesforceOrgAsync(crm.Url!);

        var test = await admin.PostAsync("/api/admin/crm/test", null);
        var testBody = await test.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, test.StatusCode);
        Assert.DoesNotContain(marker, testBody);
        Assert.Matches(@"400 invalid_client \(trace [0-9a-f]{32}\)", testBody);
        var audit = await (await admin.GetAsync("/api/admin/audit")).Content.ReadAsStringAsync();
        Assert.Contains("crm.tested", audit);
        Assert.DoesNotContain(marker, audit);
        var token = HttpUtility.ParseQueryString(Assert.Single(crm.LogEntries).RequestMessage.Body!);
        Assert.Equal($"secret-of-{org.OrgId}", token["client_secret"]);
    }

    [Fact]
    public async Task TestCrm_ApiErrorBodyIsHtmlWithMarker_MarkerInNoResponse()
    {
        const string marker = "MARKER-html-body-77aa";
        using var crm = WireMockServer.Start();
        crm.Given(Request.Create().WithPath("/services/oauth2/token").UsingPost())
            .RespondWith(Response.Create().WithBodyAsJson(new { access_token = "t", instance_url = crm.Url }));
        crm.Given(Request.Create().WithPath(new WireMock.Matchers.WildcardMatcher("/services/data/*")).UsingGet())
            .RespondWith(Response.Create().WithStatusCode(500).WithBody($"<html><body>{marker}</body></html>"));
        var (_, admin) = await SalesforceOrgAsync(crm.Url!);

        var testBody = await (await admin.PostAsync("/api/admin/crm/test", null)).Content.ReadAsStringAsync();

        Assert.DoesNotContain(marker, testBody);
        Assert.Contains("500 (trace ", testBody);
    }

    [Fact]
    public async Task TestCrm_TokenPointsAtAnotherHost_TokenNeverUsed()
    {
        using var crm = WireMockServer.Start();
        using var elsewhere = WireMockServer.Start();
        crm.Given(Request.Create().WithPath("/services/oauth2/token").UsingPost())
            .RespondWith(Response.Create().WithBodyAsJson(new { access_token = "t", instance_url = "https://attacker.example" }));
        var (_, admin) = await SalesforceOrgAsync(crm.Url!);

        var result = await (await admin.PostAsync("/api/admin/crm/test", null)).JsonAsync(HttpStatusCode.OK);

        Assert.False(result.GetProperty("success").GetBoolean());
        Assert.Contains("not a Salesforce host", result.Str("message"));
        Assert.Single(crm.LogEntries);
    }

    [Fact]
    public async Task TestCrm_Manager_403AndNothingSent()
    {
        var org = await TestOrg.CreateAsync(server);
        var manager = await server.SignedInClientAsync("manager-1", org.OrgId, "Manager");

        await (await manager.PostAsync("/api/admin/crm/test", null)).ProblemAsync(HttpStatusCode.Forbidden, "role-required");
    }

    [Fact]
    public async Task CrmOptions_OutsideDevelopment_NoPlainHttpCrm()
    {
        await using var production = new ProductionDevServerFactory();
        _ = production.CreateClient();

        var development = server.Services.GetRequiredService<IOptions<CrmOptions>>().Value;
        var elsewhere = production.Services.GetRequiredService<IOptions<CrmOptions>>().Value;

        Assert.True(development.AllowLoopbackHttp);
        Assert.False(elsewhere.AllowLoopbackHttp);
        Assert.Null(CrmHosts.AllowedBaseUrl(CrmProvider.Salesforce, "http://127.0.0.1:5123", elsewhere.AllowLoopbackHttp));
    }

    /// <summary>A new org writing to a Salesforce stub on this machine, with its client secret in configuration.</summary>
    private async Task<(TestOrg Org, HttpClient Admin)> SalesforceOrgAsync(string url)
    {
        var org = await TestOrg.CreateAsync(server);
        server.Services.GetRequiredService<IConfiguration>()[$"Crm:Secrets:{CrmSecretNames.ClientSecret(org.OrgId)}"] = $"secret-of-{org.OrgId}";
        var admin = await org.AdminAsync();
        await (await admin.PutAsync("/api/admin/crm", new { provider = "salesforce", instanceUrl = url, clientId = "key" })).JsonAsync(HttpStatusCode.OK);
        return (org, admin);
    }
}

/// <summary>Real calls through the simulator: a CRM error body never reaches an API answer, and a rep cannot attach a call to a stranger's record.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class CrmEndToEndAttackTests(EndToEndServer server)
{
    private const string Marker = "MARKER-record-body-5e1f";

    [Fact]
    public async Task SyncFailed_CrmErrorBodyCarriesMarker_MarkerInNoFailureListRetryActivityOrAudit()
    {
        // Arrange: a Salesforce that signs in, finds no Task and refuses every create with the marker in its body.
        using var crm = WireMockServer.Start();
        crm.Given(Request.Create().WithPath("/services/oauth2/token").UsingPost())
            .RespondWith(Response.Create().WithBodyAsJson(new { access_token = "t", instance_url = crm.Url }));
        crm.Given(Request.Create().WithPath(new WireMock.Matchers.WildcardMatcher("/services/data/*/query")).UsingGet())
            .RespondWith(Response.Create().WithBodyAsJson(new { totalSize = 0, done = true, records = Array.Empty<object>() }));
        crm.Given(Request.Create().WithPath(new WireMock.Matchers.WildcardMatcher("/services/data/*/composite/sobjects")).UsingPost())
            .RespondWith(Response.Create().WithStatusCode(400).WithBodyAsJson(new[] { new { message = Marker, errorCode = "INVALID_FIELD" } }));
        var org = await CallingOrg.CreateAsync(server, recording: "off");
        using var admin = await org.AdminAsync();
        await (await admin.PutAsync("/api/admin/crm", new { provider = "salesforce", instanceUrl = crm.Url, clientId = "key" })).JsonAsync(HttpStatusCode.OK);
        using var rep = await org.RepAsync();
        var callSid = await server.Simulator.ConnectAsync(await LiveDevServer.VoiceTokenAsync(rep), "+12015550100");
        await server.WaitForCallAsync(callSid, s => s.ChildStatus == "in-progress");

        // Act: the call ends, its write is refused, and the admin lists and retries it.
        (await server.Simulator.HangupAsync(callSid)).EnsureSuccessStatusCode();
        await server.WaitUntilSettledAsync(callSid);
        await Activities.WaitForRecentAsync(rep, callSid, a => Activities.CrmState(a) == "sync-failed");
        var failures = await (await admin.GetAsync("/api/admin/crm/failures")).Content.ReadAsStringAsync();
        var retry = await (await admin.PostAsync("/api/admin/crm/retry", null)).Content.ReadAsStringAsync();
        var recent = await (await rep.GetAsync("/api/calls/recent")).Content.ReadAsStringAsync();
        var calls = await (await admin.GetAsync("/api/admin/calls")).Content.ReadAsStringAsync();
        var audit = await (await admin.GetAsync("/api/admin/audit")).Content.ReadAsStringAsync();

        // Assert: the status, Salesforce's code and a trace id, never the body.
        Assert.Contains(callSid, failures);
        Assert.Matches(@"400 INVALID_FIELD \(trace [0-9a-f]{32}\)", failures);
        Assert.Contains(callSid, retry);
        Assert.Contains("crm.retried", audit);
        Assert.All(new[] { failures, retry, recent, calls, audit }, body => Assert.DoesNotContain(Marker, body));
    }

    [Fact]
    public async Task Call_RepNamesAContactWithAnotherNumber_TaskWrittenWithoutItAndAdminsSeeAWarning()
    {
        // Arrange: the contact the rep names belongs to someone else's number.
        const string strangersContact = "003000000000777AAA";
        using var salesforce = new SalesforceOrgStub().GivenContact(strangersContact, "+12015550199");
        var org = await CallingOrg.CreateAsync(server, recording: "off");
        using var admin = await org.AdminAsync();
        await (await admin.PutAsync("/api/admin/crm", new { provider = "salesforce", instanceUrl = salesforce.Url, clientId = "key" })).JsonAsync(HttpStatusCode.OK);
        using var rep = await org.RepAsync();
        var callSid = await server.Simulator.ConnectAsync(
            await LiveDevServer.VoiceTokenAsync(rep), "+12015550100", new Dictionary<string, string> { ["whoId"] = strangersContact });
        await server.WaitForCallAsync(callSid, s => s.ChildStatus == "in-progress");

        // Act
        (await server.Simulator.HangupAsync(callSid)).EnsureSuccessStatusCode();
        await server.WaitUntilSettledAsync(callSid);
        var activity = await Activities.WaitForRecentAsync(rep, callSid, a => Activities.CrmState(a) == "synced");
        var failures = await (await admin.GetAsync("/api/admin/crm/failures")).JsonAsync(HttpStatusCode.OK);

        // Assert
        var task = Assert.Single(SalesforceOrgStub.Records(salesforce.Creates));
        Assert.Null(task["WhoId"]);
        var warning = Assert.Single(failures.Items(), i => i.Str("callSid") == callSid);
        Assert.Equal("warning", warning.Str("kind"));
        Assert.Contains(strangersContact, warning.Str("message"));
        Assert.Contains(strangersContact, activity.GetProperty("crmSync").GetProperty("message").GetString());
    }
}
