using System.Text.Json.Nodes;
using System.Web;
using Microsoft.Extensions.Configuration;
using Playbooks.Calling.Crm;
using Playbooks.Calling.Crm.Dynamics;
using WireMock.Logging;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Playbooks.Calling.Tests.Crm;

public sealed class DynamicsConnectorTests : IDisposable
{
    private const string TokenPath = "/contoso.onmicrosoft.com/oauth2/v2.0/token";
    private readonly WireMockServer _entra = EntraStandIn.Start();
    private readonly WireMockServer _dataverse = WireMockServer.Start();
    private readonly FakeTimeProvider _clock = new(CrmTestKit.Start);
    private readonly ListLogger<DynamicsConnector> _log = new();
    private readonly ListLogger<DynamicsCredentials> _signInLog = new();
    private readonly DynamicsConnector _connector;

    public DynamicsConnectorTests()
    {
        var options = CrmTestKit.Options(o => o.EntraAuthorityHost = new Uri(_entra.Url!));
        _connector = new DynamicsConnector(EntraStandIn.HttpClients, CrmTestKit.Secrets(_clock), EntraStandIn.Credentials(options, _clock, _signInLog),
            options, _clock, _log);
    }

    public void Dispose()
    {
        _entra.Stop();
        _dataverse.Stop();
    }

    private CrmConnection Connection => CrmTestKit.Dynamics("org-b", _dataverse.Url!);

    private static string PhoneCallPath(string sid) => $"/api/data/v9.2/phonecalls({NameBasedGuid.ForCallSid(sid):D})";

    private void GivenToken(string accessToken = "d-token", int expiresIn = 3599) =>
        _entra.Given(Request.Create().WithPath(TokenPath).UsingPost())
            .RespondWith(Response.Create().WithBodyAsJson(new { token_type = "Bearer", expires_in = expiresIn, ext_expires_in = expiresIn, access_token = accessToken }));

    private void GivenUpsertsSucceed() =>
        _dataverse.Given(Request.Create().WithPath(new WireMock.Matchers.RegexMatcher(@"^/api/data/v9\.2/phonecalls\(.+\)$")).UsingPatch())
            .RespondWith(Response.Create().WithStatusCode(204));

    private void GivenRecord(string entitySet, string id, object phones) =>
        _dataverse.Given(Request.Create().WithPath($"/api/data/v9.2/{entitySet}({id})").UsingGet())
            .RespondWith(Response.Create().WithBodyAsJson(phones));

    private List<ILogEntry> Upserts => _dataverse.LogEntries.Where(e => e.RequestMessage.Method == "PATCH").ToList();

    [Fact]
    public async Task WriteAsync_EndedCall_TokenByClientCredentialsForTheEnvironmentScope()
    {
        GivenToken();
        GivenUpsertsSucceed();

        await _connector.WriteAsync(Connection, [CrmTestKit.Ended("org-b", CrmTestKit.Sid(1))], CancellationToken.None);

        var token = Assert.Single(_entra.LogEntries);
        Assert.Equal(TokenPath, token.RequestMessage.Path);
        var form = HttpUtility.ParseQueryString(token.RequestMessage.Body!);
        Assert.Equal("client_credentials", form["grant_type"]);
        Assert.Equal("11111111-2222-3333-4444-555555555555", form["client_id"]);
        Assert.Equal(CrmTestKit.SecretValue, form["client_secret"]);
        Assert.Equal($"{_dataverse.Url}/.default", form["scope"]);
    }

    [Fact]
    public async Task WriteAsync_EndedCall_UpsertsPhonecallAtDeterministicIdWithODataHeaders()
    {
        GivenToken("d-token");
        GivenUpsertsSucceed();
        GivenRecord("leads", "0f8fad5b-d9cb-469f-a165-70867728950e", new { telephone1 = "+1 (500) 555-0006" });
        var sid = CrmTestKit.Sid(1);

        var outcomes = await _connector.WriteAsync(Connection, [CrmTestKit.Ended("org-b", sid, crmWhoId: "lead:0f8fad5b-d9cb-469f-a165-70867728950e")], CancellationToken.None);

        var upsert = Assert.Single(Upserts);
        Assert.Equal(PhoneCallPath(sid), upsert.RequestMessage.Path);
        Assert.Equal("Bearer d-token", SalesforceStub.Header(upsert, "Authorization"));
        Assert.Equal("4.0", SalesforceStub.Header(upsert, "OData-MaxVersion"));
        Assert.Equal("4.0", SalesforceStub.Header(upsert, "OData-Version"));
        Assert.Equal("application/json", SalesforceStub.Header(upsert, "Content-Type"));
        Assert.False(upsert.RequestMessage.Headers!.ContainsKey("If-Match"), "Without If-Match the PATCH creates or updates.");
        var body = JsonNode.Parse(upsert.RequestMessage.Body!)!.AsObject();
        Assert.Equal("Call to +15005550006", body["subject"]!.GetValue<string>());
        Assert.Equal("+15005550006", body["phonenumber"]!.GetValue<string>());
        Assert.True(body["directioncode"]!.GetValue<bool>());
        Assert.Equal("2025-03-14T15:00:10Z", body["actualstart"]!.GetValue<string>());
        Assert.Equal("2025-03-14T15:01:40Z", body["actualend"]!.GetValue<string>());
        Assert.Equal(2, body["actualdurationminutes"]!.GetValue<int>());
        Assert.Contains("Recording: recorded (88 s)", body["description"]!.GetValue<string>());
        Assert.DoesNotContain("api.twilio.com", body["description"]!.GetValue<string>());
        Assert.Equal("/leads(0f8fad5b-d9cb-469f-a165-70867728950e)", body["regardingobjectid_lead@odata.bind"]!.GetValue<string>());
        Assert.False(body.ContainsKey("regardingobjectid_contact@odata.bind"));
        var outcome = Assert.Single(outcomes);
        Assert.Equal((CrmSyncResult.Synced, NameBasedGuid.ForCallSid(sid).ToString("D")), (outcome.Result, outcome.CrmRecordId));
    }

    [Fact]
    public async Task WriteAsync_SameCallTwice_SameRecordAndOneToken()
    {
        GivenToken();
        GivenUpsertsSucceed();
        var activity = CrmTestKit.Ended("org-b", CrmTestKit.Sid(7));

        await _connector.WriteAsync(Connection, [activity], CancellationToken.None);
        await _connector.WriteAsync(Connection, [activity with { Disposition = "Call back" }], CancellationToken.None);

        Assert.Equal([PhoneCallPath(activity.AgentCallSid), PhoneCallPath(activity.AgentCallSid)], Upserts.Select(u => u.RequestMessage.Path));
        Assert.Contains("Disposition: Call back", JsonNode.Parse(Upserts[1].RequestMessage.Body!)!["description"]!.GetValue<string>());
        Assert.Single(_entra.LogEntries);
    }

    [Fact]
    public async Task WriteAsync_TokenWithinFiveMinutesOfExpiry_EachWriteSignsInAgain()
    {
        GivenToken(expiresIn: 240);
        GivenUpsertsSucceed();

        await _connector.WriteAsync(Connection, [CrmTestKit.Ended("org-b", CrmTestKit.Sid(1))], CancellationToken.None);
        await _connector.WriteAsync(Connection, [CrmTestKit.Ended("org-b", CrmTestKit.Sid(2))], CancellationToken.None);

        Assert.Equal(2, _entra.LogEntries.Count());
        Assert.Equal(2, Upserts.Count);
    }

    [Fact]
    public async Task WriteAsync_SecretRotated_SignsInWithTheNewSecret()
    {
        GivenToken();
        GivenUpsertsSucceed();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection().Build();
        var secretKey = $"Crm:Secrets:{CrmSecretNames.ClientSecret("org-b")}";
        configuration[secretKey] = "first-secret";
        var options = CrmTestKit.Options(o => o.EntraAuthorityHost = new Uri(_entra.Url!));
        var connector = new DynamicsConnector(EntraStandIn.HttpClients, new CrmSecrets(configuration, options, _clock),
            EntraStandIn.Credentials(options, _clock), options, _clock, _log);

        await connector.WriteAsync(Connection, [CrmTestKit.Ended("org-b", CrmTestKit.Sid(1))], CancellationToken.None);
        configuration[secretKey] = "second-secret";
        await connector.WriteAsync(Connection, [CrmTestKit.Ended("org-b", CrmTestKit.Sid(2))], CancellationToken.None);
        await connector.WriteAsync(Connection, [CrmTestKit.Ended("org-b", CrmTestKit.Sid(3))], CancellationToken.None);

        Assert.Equal(["first-secret", "second-secret"],
            _entra.LogEntries.Select(e => HttpUtility.ParseQueryString(e.RequestMessage.Body!)["client_secret"]));
        Assert.Equal(3, Upserts.Count);
    }

    [Fact]
    public async Task WriteAsync_EntraRateLimits_OrgWaitsForItsRetryAfterWithoutCallingDataverse()
    {
        _entra.Given(Request.Create().WithPath(TokenPath).UsingPost())
            .RespondWith(Response.Create().WithStatusCode(429).WithHeader("Retry-After", "120")
                .WithBodyAsJson(new { error = "temporarily_unavailable", error_description = "AADSTS50196: loop detected" }));
        GivenUpsertsSucceed();
        var activities = Enumerable.Range(1, 2).Select(i => CrmTestKit.Ended("org-b", CrmTestKit.Sid(i))).ToList();

        var outcomes = await _connector.WriteAsync(Connection, activities, CancellationToken.None);

        Assert.All(outcomes, o => Assert.Equal((CrmSyncResult.RetryLater, _clock.GetUtcNow().AddSeconds(120)), (o.Result, o.NotBefore)));
        Assert.Single(_entra.LogEntries);
        Assert.Empty(_dataverse.LogEntries);
    }

    [Fact]
    public async Task WriteAsync_Unauthorized_RefreshesTokenOnceThenSucceeds()
    {
        _entra.Given(Request.Create().WithPath(TokenPath).UsingPost()).InScenario("t").WillSetStateTo("2")
            .RespondWith(Response.Create().WithBodyAsJson(new { token_type = "Bearer", expires_in = 3599, access_token = "revoked" }));
        _entra.Given(Request.Create().WithPath(TokenPath).UsingPost()).InScenario("t").WhenStateIs("2")
            .RespondWith(Response.Create().WithBodyAsJson(new { token_type = "Bearer", expires_in = 3599, access_token = "renewed" }));
        _dataverse.Given(Request.Create().UsingPatch().WithHeader("Authorization", "Bearer revoked"))
            .RespondWith(Response.Create().WithStatusCode(401));
        _dataverse.Given(Request.Create().UsingPatch().WithHeader("Authorization", "Bearer renewed"))
            .RespondWith(Response.Create().WithStatusCode(204));

        var outcomes = await _connector.WriteAsync(Connection, [CrmTestKit.Ended("org-b", CrmTestKit.Sid(1))], CancellationToken.None);

        Assert.Equal(2, _entra.LogEntries.Count());
        Assert.Equal(2, Upserts.Count);
        Assert.Equal(CrmSyncResult.Synced, Assert.Single(outcomes).Result);
    }

    [Fact]
    public async Task WriteAsync_ServiceUnavailableWithHttpDate_RestOfOrgWaitsUntilThatDate()
    {
        GivenToken();
        _dataverse.Given(Request.Create().UsingPatch())
            .RespondWith(Response.Create().WithStatusCode(503).WithHeader("Retry-After", "Fri, 14 Mar 2025 15:10:00 GMT")
                .WithBodyAsJson(new { error = new { code = "0x80072321", message = "Combined execution time of incoming requests exceeded limit" } }));
        var activities = Enumerable.Range(1, 3).Select(i => CrmTestKit.Ended("org-b", CrmTestKit.Sid(i))).ToList();

        var outcomes = await _connector.WriteAsync(Connection, activities, CancellationToken.None);

        Assert.Single(Upserts);
        Assert.All(outcomes, o => Assert.Equal(CrmSyncResult.RetryLater, o.Result));
        Assert.All(outcomes, o => Assert.Equal(new DateTimeOffset(2025, 3, 14, 15, 10, 0, TimeSpan.Zero), o.NotBefore));
        Assert.StartsWith("503 0x80072321 (trace ", outcomes[2].Message);
    }

    [Fact]
    public async Task WriteAsync_BadRequestForOneCall_ThatOneFailsWithDataverseMessageOthersWritten()
    {
        GivenToken();
        GivenUpsertsSucceed();
        var bad = CrmTestKit.Sid(2);
        _dataverse.Given(Request.Create().WithPath(PhoneCallPath(bad)).UsingPatch()).AtPriority(-1)
            .RespondWith(Response.Create().WithStatusCode(400)
                .WithBodyAsJson(new { error = new { code = "0x80060888", message = "contact With Id = 0f8fad5b-d9cb-469f-a165-70867728950e Does Not Exist" } }));
        var activities = Enumerable.Range(1, 3).Select(i => CrmTestKit.Ended("org-b", CrmTestKit.Sid(i))).ToList();

        var outcomes = await _connector.WriteAsync(Connection, activities, CancellationToken.None);

        Assert.Equal([CrmSyncResult.Synced, CrmSyncResult.Failed, CrmSyncResult.Synced], outcomes.Select(o => o.Result));
        Assert.Matches(@"^400 0x80060888 \(trace [0-9a-f]{32}\)$", outcomes[1].Message);
    }

    [Fact]
    public async Task WriteAsync_ServerError_TransientWithoutDateForTheWholeOrg()
    {
        GivenToken();
        _dataverse.Given(Request.Create().UsingPatch()).RespondWith(Response.Create().WithStatusCode(500));

        var outcomes = await _connector.WriteAsync(
            Connection, [CrmTestKit.Ended("org-b", CrmTestKit.Sid(1)), CrmTestKit.Ended("org-b", CrmTestKit.Sid(2))], CancellationToken.None);

        Assert.Single(Upserts);
        Assert.All(outcomes, o => Assert.Equal((CrmSyncResult.RetryLater, (DateTimeOffset?)null), (o.Result, o.NotBefore)));
    }

    [Fact]
    public async Task TestAsync_WhoAmIAnswers_Success()
    {
        GivenToken();
        _dataverse.Given(Request.Create().WithPath("/api/data/v9.2/WhoAmI").UsingGet())
            .RespondWith(Response.Create().WithBodyAsJson(new { UserId = Guid.NewGuid(), BusinessUnitId = Guid.NewGuid(), OrganizationId = Guid.NewGuid() }));

        var result = await _connector.TestAsync(Connection, CancellationToken.None);

        Assert.True(result.Success, result.Message);
    }

    [Fact]
    public async Task TestAsync_TenantRefusesClient_ReportsEntraError()
    {
        _entra.Given(Request.Create().WithPath(TokenPath).UsingPost())
            .RespondWith(Response.Create().WithStatusCode(401).WithBodyAsJson(new { error = "invalid_client", error_description = "AADSTS7000215: Invalid client secret provided." }));

        var result = await _connector.TestAsync(Connection, CancellationToken.None);

        Assert.False(result.Success);
        Assert.Matches(@"^Sign-in to the CRM failed: 401 invalid_client \(trace [0-9a-f]{32}\)$", result.Message);
        Assert.Single(_entra.LogEntries);
        Assert.Contains(_signInLog.Messages, m => m.Contains("AADSTS7000215") && m.Contains(result.Message[^33..^1]));
        Assert.DoesNotContain(_signInLog.Messages.Concat(_log.Messages), m => m.Contains(CrmTestKit.SecretValue));
    }

    [Fact]
    public async Task TestAsync_AuthorityCertificateNotTrusted_NoSecretSentAndReportedUnreachable()
    {
        GivenToken();
        var options = CrmTestKit.Options(o => o.EntraAuthorityHost = new Uri(_entra.Url!));
        var systemTrust = new PlainHttpClients();
        var connector = new DynamicsConnector(systemTrust, CrmTestKit.Secrets(_clock),
            new DynamicsCredentials(systemTrust, options, _clock, _signInLog), options, _clock, _log);

        var result = await connector.TestAsync(Connection, CancellationToken.None);

        Assert.False(result.Success);
        Assert.Equal("Entra ID could not be reached for a Dynamics token.", result.Message);
        Assert.Empty(_entra.LogEntries);
        Assert.Empty(_dataverse.LogEntries);
    }

    [Theory]
    [InlineData("contact:0f8fad5b-d9cb-469f-a165-70867728950e", "regardingobjectid_contact@odata.bind", "/contacts(0f8fad5b-d9cb-469f-a165-70867728950e)")]
    [InlineData("0F8FAD5B-D9CB-469F-A165-70867728950E", "regardingobjectid_contact@odata.bind", "/contacts(0f8fad5b-d9cb-469f-a165-70867728950e)")]
    [InlineData("lead:0f8fad5b-d9cb-469f-a165-70867728950e", "regardingobjectid_lead@odata.bind", "/leads(0f8fad5b-d9cb-469f-a165-70867728950e)")]
    public void Regarding_KnownForms_BindsTheEntity(string whoId, string property, string reference) =>
        Assert.Equal((property, reference), DynamicsPhoneCall.Regarding(whoId));

    [Theory]
    [InlineData(null)]
    [InlineData("003000000000001AAA")]
    [InlineData("account:0f8fad5b-d9cb-469f-a165-70867728950e")]
    public void Regarding_UnknownForms_NoBinding(string? whoId) => Assert.Null(DynamicsPhoneCall.Regarding(whoId));

    [Theory]
    [InlineData("https://attacker.example")]
    [InlineData("https://evil-dynamics.com")]
    [InlineData("https://x.dynamics.com.attacker.example")]
    public async Task WriteAsync_StoredOffListHost_NoSignInNoRequest(string instanceUrl)
    {
        GivenToken();
        GivenUpsertsSucceed();

        var outcomes = await _connector.WriteAsync(Connection with { InstanceUrl = instanceUrl }, [CrmTestKit.Ended("org-b", CrmTestKit.Sid(1))], CancellationToken.None);

        Assert.Equal((CrmSyncResult.Failed, true), (outcomes[0].Result, outcomes[0].Message!.Contains("not a dynamics.com host")));
        Assert.Empty(_entra.LogEntries);
        Assert.Empty(_dataverse.LogEntries);
    }

    [Fact]
    public async Task WriteAsync_LoopbackHttpOutsideDevelopment_NoSignInNoRequest()
    {
        var productionOptions = CrmTestKit.Options(o => { o.EntraAuthorityHost = new Uri(_entra.Url!); o.AllowLoopbackHttp = false; });
        var production = new DynamicsConnector(EntraStandIn.HttpClients, CrmTestKit.Secrets(_clock), EntraStandIn.Credentials(productionOptions, _clock),
            productionOptions, _clock, _log);
        GivenToken();
        GivenUpsertsSucceed();

        var outcomes = await production.WriteAsync(Connection, [CrmTestKit.Ended("org-b", CrmTestKit.Sid(1))], CancellationToken.None);

        Assert.Equal(CrmSyncResult.Failed, outcomes[0].Result);
        Assert.Empty(_entra.LogEntries);
        Assert.Empty(_dataverse.LogEntries);
    }

    [Fact]
    public async Task TestAsync_ErrorBodyWithMarker_OnlyStatusCodeAndTraceReturned()
    {
        const string marker = "MARKER-dataverse-body";
        GivenToken();
        _dataverse.Given(Request.Create().WithPath("/api/data/v9.2/WhoAmI").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(403).WithBodyAsJson(new { error = new { code = "0x80040220", message = marker } }));

        var result = await _connector.TestAsync(Connection, CancellationToken.None);

        Assert.False(result.Success);
        Assert.DoesNotContain(marker, result.Message);
        var trace = System.Text.RegularExpressions.Regex.Match(result.Message, @"^403 0x80040220 \(trace ([0-9a-f]{32})\)$");
        Assert.True(trace.Success, result.Message);
        Assert.Contains(_log.Messages, m => m.Contains(marker) && m.Contains(trace.Groups[1].Value));
    }

    [Theory]
    [InlineData("contact:0f8fad5b-d9cb-469f-a165-70867728950e", "contacts", "telephone2")]
    [InlineData("0f8fad5b-d9cb-469f-a165-70867728950e", "contacts", "telephone3")]
    [InlineData("contact:0f8fad5b-d9cb-469f-a165-70867728950e", "contacts", "mobilephone")]
    [InlineData("lead:0f8fad5b-d9cb-469f-a165-70867728950e", "leads", "telephone1")]
    public async Task WriteAsync_RecordListsTheNumberDialed_RegardingBoundWithoutWarning(string whoId, string entitySet, string column)
    {
        GivenToken();
        GivenUpsertsSucceed();
        GivenRecord(entitySet, "0f8fad5b-d9cb-469f-a165-70867728950e", new Dictionary<string, string> { [column] = "500-555-0006" });

        var outcomes = await _connector.WriteAsync(Connection, [CrmTestKit.Ended("org-b", CrmTestKit.Sid(1), crmWhoId: whoId)], CancellationToken.None);

        var body = JsonNode.Parse(Assert.Single(Upserts).RequestMessage.Body!)!.AsObject();
        Assert.Equal($"/{entitySet}(0f8fad5b-d9cb-469f-a165-70867728950e)", body[$"regardingobjectid_{entitySet.TrimEnd('s')}@odata.bind"]!.GetValue<string>());
        Assert.Null(Assert.Single(outcomes).Warning);
        var read = Assert.Single(_dataverse.LogEntries, e => e.RequestMessage.Method == "GET");
        Assert.Equal(["telephone1", "telephone2", "telephone3", "mobilephone"], read.RequestMessage.Query!["$select"].ToArray());
    }

    [Fact]
    public async Task WriteAsync_RecordListsOtherNumbers_WrittenWithoutRegardingAndWarned()
    {
        GivenToken();
        GivenUpsertsSucceed();
        GivenRecord("contacts", "0f8fad5b-d9cb-469f-a165-70867728950e", new { telephone1 = "+15005550099", mobilephone = (string?)null });

        var outcomes = await _connector.WriteAsync(Connection,
            [CrmTestKit.Ended("org-b", CrmTestKit.Sid(1), crmWhoId: "contact:0f8fad5b-d9cb-469f-a165-70867728950e")], CancellationToken.None);

        var body = JsonNode.Parse(Assert.Single(Upserts).RequestMessage.Body!)!.AsObject();
        Assert.DoesNotContain(body, p => p.Key.StartsWith("regardingobjectid", StringComparison.Ordinal));
        var outcome = Assert.Single(outcomes);
        Assert.Equal(CrmSyncResult.Synced, outcome.Result);
        Assert.Equal(CrmWhoCheck.NotLinked("contact:0f8fad5b-d9cb-469f-a165-70867728950e"), outcome.Warning);
    }

    [Fact]
    public async Task WriteAsync_RecordNotFound_WrittenWithoutRegardingAndWarned()
    {
        GivenToken();
        GivenUpsertsSucceed();
        _dataverse.Given(Request.Create().WithPath("/api/data/v9.2/contacts(0f8fad5b-d9cb-469f-a165-70867728950e)").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(404).WithBodyAsJson(new { error = new { code = "0x80040217", message = "contact Does Not Exist" } }));

        var outcomes = await _connector.WriteAsync(Connection,
            [CrmTestKit.Ended("org-b", CrmTestKit.Sid(1), crmWhoId: "0f8fad5b-d9cb-469f-a165-70867728950e")], CancellationToken.None);

        var body = JsonNode.Parse(Assert.Single(Upserts).RequestMessage.Body!)!.AsObject();
        Assert.DoesNotContain(body, p => p.Key.StartsWith("regardingobjectid", StringComparison.Ordinal));
        Assert.NotNull(Assert.Single(outcomes).Warning);
    }
}
