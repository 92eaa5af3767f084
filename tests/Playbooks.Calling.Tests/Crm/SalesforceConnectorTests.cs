using System.Web;
using Playbooks.Calling.Crm;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace Playbooks.Calling.Tests.Crm;

public sealed class SalesforceConnectorTests : IDisposable
{
    private readonly SalesforceStub _sf = new();

    public void Dispose() => _sf.Dispose();

    [Fact]
    public async Task WriteAsync_NewCall_SignsInWithClientCredentials()
    {
        _sf.GivenToken().GivenExistingTasks().GivenCollectionsSucceed();

        await _sf.Connector.WriteAsync(_sf.Connection(), [CrmTestKit.Ended("org-a", CrmTestKit.Sid(1))], CancellationToken.None);

        var token = Assert.Single(_sf.TokenRequests);
        Assert.StartsWith("application/x-www-form-urlencoded", SalesforceStub.Header(token, "Content-Type"));
        var form = HttpUtility.ParseQueryString(token.RequestMessage.Body!);
        Assert.Equal("client_credentials", form["grant_type"]);
        Assert.Equal("sf-consumer-key", form["client_id"]);
        Assert.Equal(CrmTestKit.SecretValue, form["client_secret"]);
    }

    [Fact]
    public async Task WriteAsync_NewCall_QueriesByCallObjectThenCreatesOneCallTask()
    {
        _sf.GivenToken("token-1").GivenExistingTasks().GivenCollectionsSucceed()
            .GivenWhoRecord("Contact", "003000000000001AAA", new() { ["Phone"] = "+1 500-555-0006" });
        var sid = CrmTestKit.Sid(1);

        var outcomes = await _sf.Connector.WriteAsync(_sf.Connection(), [CrmTestKit.Ended("org-a", sid, crmWhoId: "003000000000001AAA")], CancellationToken.None);

        var query = Assert.Single(_sf.Queries);
        Assert.Equal($"SELECT Id, CallObject FROM Task WHERE CallObject IN ('{sid}') ORDER BY CreatedDate ASC", query.RequestMessage.Query!["q"].ToString());
        Assert.Equal("Bearer token-1", SalesforceStub.Header(query, "Authorization"));
        var create = Assert.Single(_sf.Creates);
        Assert.Empty(_sf.Updates);
        Assert.Equal("Bearer token-1", SalesforceStub.Header(create, "Authorization"));
        var body = SalesforceStub.Body(create);
        Assert.False(body["allOrNone"]!.GetValue<bool>());
        var task = Assert.Single(body["records"]!.AsArray())!.AsObject();
        Assert.Equal("Task", task["attributes"]!["type"]!.GetValue<string>());
        Assert.Null(task["Id"]);
        Assert.Equal("Call", task["TaskSubtype"]!.GetValue<string>());
        Assert.Equal("Outbound", task["CallType"]!.GetValue<string>());
        Assert.Equal("Completed", task["Status"]!.GetValue<string>());
        Assert.Equal(sid, task["CallObject"]!.GetValue<string>());
        Assert.Equal(90, task["CallDurationInSeconds"]!.GetValue<int>());
        Assert.Equal("Interested", task["CallDisposition"]!.GetValue<string>());
        Assert.Equal("Call to +15005550006", task["Subject"]!.GetValue<string>());
        Assert.Equal("2025-03-14", task["ActivityDate"]!.GetValue<string>());
        Assert.Equal("003000000000001AAA", task["WhoId"]!.GetValue<string>());
        var description = task["Description"]!.GetValue<string>();
        Assert.Contains("Notes: Wants a demo next week", description);
        Assert.Contains("Recording: recorded (88 s)", description);
        Assert.DoesNotContain("twilio.com", description);
        var outcome = Assert.Single(outcomes);
        Assert.Equal(CrmSyncResult.Synced, outcome.Result);
        Assert.Equal("00T000000000000", outcome.CrmRecordId);
    }

    [Fact]
    public async Task WriteAsync_NoWhoIdOrDisposition_LeavesWhoIdOutAndUsesOutcome()
    {
        _sf.GivenToken().GivenExistingTasks().GivenCollectionsSucceed();
        var activity = CrmTestKit.Ended("org-a", CrmTestKit.Sid(1)) with
        {
            Status = Playbooks.Calling.Activity.CallStatus.NoAnswer, AnsweredAt = null, DurationSeconds = 0, Disposition = null,
        };

        await _sf.Connector.WriteAsync(_sf.Connection(), [activity], CancellationToken.None);

        var task = SalesforceStub.Body(Assert.Single(_sf.Creates))["records"]![0]!.AsObject();
        Assert.False(task.ContainsKey("WhoId"));
        Assert.Equal("no answer", task["CallDisposition"]!.GetValue<string>());
        Assert.Equal("Call to +15005550006 (no answer)", task["Subject"]!.GetValue<string>());
    }

    [Fact]
    public async Task WriteAsync_TaskExists_PatchesThatTaskAndCreatesNone()
    {
        var sid = CrmTestKit.Sid(1);
        _sf.GivenToken().GivenExistingTasks((sid, "00T000000000777AAA")).GivenCollectionsSucceed();

        var outcomes = await _sf.Connector.WriteAsync(_sf.Connection(), [CrmTestKit.Ended("org-a", sid)], CancellationToken.None);

        Assert.Empty(_sf.Creates);
        var task = SalesforceStub.Body(Assert.Single(_sf.Updates))["records"]![0]!.AsObject();
        Assert.Equal("00T000000000777AAA", task["Id"]!.GetValue<string>());
        Assert.False(task.ContainsKey("TaskSubtype"), "TaskSubtype can only be set on create.");
        Assert.Equal(sid, task["CallObject"]!.GetValue<string>());
        Assert.Equal("00T000000000777AAA", Assert.Single(outcomes).CrmRecordId);
    }

    [Fact]
    public async Task WriteAsync_SecondSyncOfSameCall_UpdatesTheTaskTheFirstCreated()
    {
        var sid = CrmTestKit.Sid(1);
        _sf.GivenToken().GivenCollectionsSucceed();
        _sf.Server.Given(Request.Create().WithPath($"{SalesforceStub.DataPath}/query").UsingGet())
            .InScenario("task").WillSetStateTo("created")
            .RespondWith(Response.Create().WithBodyAsJson(new { totalSize = 0, done = true, records = Array.Empty<object>() }));
        _sf.Server.Given(Request.Create().WithPath($"{SalesforceStub.DataPath}/query").UsingGet())
            .InScenario("task").WhenStateIs("created")
            .RespondWith(Response.Create().WithBodyAsJson(new
            {
                totalSize = 1, done = true,
                records = new[] { new Dictionary<string, object> { ["Id"] = "00T000000000000", ["CallObject"] = sid } },
            }));
        var activity = CrmTestKit.Ended("org-a", sid);

        await _sf.Connector.WriteAsync(_sf.Connection(), [activity], CancellationToken.None);
        var second = await _sf.Connector.WriteAsync(
            _sf.Connection(), [activity with { RecordingUrl = "https://example.test/rec2", RecordingDuration = 120 }], CancellationToken.None);

        Assert.Single(_sf.Creates);
        var update = SalesforceStub.Body(Assert.Single(_sf.Updates))["records"]![0]!;
        Assert.Equal("00T000000000000", update["Id"]!.GetValue<string>());
        Assert.Contains("Recording: recorded (120 s)", update["Description"]!.GetValue<string>());
        Assert.DoesNotContain("https://example.test/rec2", update["Description"]!.GetValue<string>());
        Assert.Equal(CrmSyncResult.Synced, Assert.Single(second).Result);
    }

    [Fact]
    public async Task WriteAsync_250DueActivities_TwoCollectionRequestsOf200And50()
    {
        _sf.GivenToken().GivenExistingTasks().GivenCollectionsSucceed();
        var activities = Enumerable.Range(1, 250).Select(i => CrmTestKit.Ended("org-a", CrmTestKit.Sid(i))).ToList();

        var outcomes = await _sf.Connector.WriteAsync(_sf.Connection(), activities, CancellationToken.None);

        var sizes = _sf.Creates.Select(c => SalesforceStub.Body(c)["records"]!.AsArray().Count).Order().ToList();
        Assert.Equal([50, 200], sizes);
        Assert.Equal(3, _sf.Queries.Count);
        Assert.Single(_sf.TokenRequests);
        Assert.Equal(250, outcomes.Count(o => o.Result == CrmSyncResult.Synced));
        Assert.Equal(activities.Select(a => a.Key), outcomes.Select(o => o.Key));
    }

    [Fact]
    public async Task WriteAsync_OneRecordRefused_OnlyThatActivityFailsWithSalesforceMessage()
    {
        _sf.GivenToken().GivenExistingTasks();
        _sf.Server.Given(Request.Create().WithPath($"{SalesforceStub.DataPath}/composite/sobjects").UsingPost())
            .RespondWith(Response.Create().WithBodyAsJson(new object[]
            {
                new { id = "00T000000000001", success = true, errors = Array.Empty<object>() },
                new { success = false, errors = new[] { new { statusCode = "INVALID_CROSS_REFERENCE_KEY", message = "Name ID: id value of incorrect type: 001", fields = new[] { "WhoId" } } } },
                new { success = false, errors = new[] { new { statusCode = "UNABLE_TO_LOCK_ROW", message = "unable to obtain exclusive access to this record", fields = Array.Empty<string>() } } },
            }));
        var activities = new[] { CrmTestKit.Ended("org-a", CrmTestKit.Sid(1)), CrmTestKit.Ended("org-a", CrmTestKit.Sid(2), "001000000000001"), CrmTestKit.Ended("org-a", CrmTestKit.Sid(3)) };

        var outcomes = await _sf.Connector.WriteAsync(_sf.Connection(), activities, CancellationToken.None);

        Assert.Equal(CrmSyncResult.Synced, outcomes[0].Result);
        Assert.Equal(CrmSyncResult.Failed, outcomes[1].Result);
        Assert.Matches(@"^Salesforce did not save the record: INVALID_CROSS_REFERENCE_KEY \(trace [0-9a-f]{32}\)\.$", outcomes[1].Message);
        Assert.Equal(CrmSyncResult.RetryLater, outcomes[2].Result);
    }

    [Fact]
    public async Task WriteAsync_ExpiredToken_RefreshesExactlyOnceAndRetries()
    {
        _sf.GivenCollectionsSucceed();
        _sf.Server.Given(Request.Create().WithPath($"{SalesforceStub.DataPath}/query").WithHeader("Authorization", "Bearer fresh").UsingGet())
            .RespondWith(Response.Create().WithBodyAsJson(new { totalSize = 0, done = true, records = Array.Empty<object>() }));
        _sf.Server.Given(Request.Create().WithPath("/services/oauth2/token").UsingPost())
            .InScenario("token").WillSetStateTo("second")
            .RespondWith(Response.Create().WithBodyAsJson(new { access_token = "stale", instance_url = _sf.Url }));
        _sf.Server.Given(Request.Create().WithPath("/services/oauth2/token").UsingPost())
            .InScenario("token").WhenStateIs("second")
            .RespondWith(Response.Create().WithBodyAsJson(new { access_token = "fresh", instance_url = _sf.Url }));
        _sf.Server.Given(Request.Create().WithPath($"{SalesforceStub.DataPath}/query").WithHeader("Authorization", "Bearer stale").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(401).WithBodyAsJson(new[] { new { message = "Session expired or invalid", errorCode = "INVALID_SESSION_ID" } }));

        var outcomes = await _sf.Connector.WriteAsync(_sf.Connection(), [CrmTestKit.Ended("org-a", CrmTestKit.Sid(1))], CancellationToken.None);

        Assert.Equal(2, _sf.TokenRequests.Count);
        Assert.Equal("Bearer fresh", SalesforceStub.Header(Assert.Single(_sf.Creates), "Authorization"));
        Assert.Equal(CrmSyncResult.Synced, Assert.Single(outcomes).Result);
    }

    [Fact]
    public async Task WriteAsync_FreshTokenAlsoRefused_FailsAfterOneRefresh()
    {
        _sf.GivenToken();
        _sf.Server.Given(Request.Create().WithPath($"{SalesforceStub.DataPath}/query").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(401).WithBodyAsJson(new[] { new { message = "Session expired or invalid", errorCode = "INVALID_SESSION_ID" } }));
        var activities = new[] { CrmTestKit.Ended("org-a", CrmTestKit.Sid(1)), CrmTestKit.Ended("org-a", CrmTestKit.Sid(2)) };

        var outcomes = await _sf.Connector.WriteAsync(_sf.Connection(), activities, CancellationToken.None);

        Assert.Equal(2, _sf.TokenRequests.Count);
        Assert.Equal(2, _sf.Queries.Count);
        Assert.All(outcomes, o => Assert.Equal(CrmSyncResult.Failed, o.Result));
        Assert.Matches(@"^The CRM refused a fresh token: 401 INVALID_SESSION_ID \(trace [0-9a-f]{32}\)$", outcomes[0].Message);
    }

    [Fact]
    public async Task WriteAsync_RateLimitedWithRetryAfterSeconds_RetryLaterAtThatTime()
    {
        _sf.GivenToken();
        _sf.Server.Given(Request.Create().WithPath($"{SalesforceStub.DataPath}/query").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(429).WithHeader("Retry-After", "120").WithBody("Too many requests"));

        var outcomes = await _sf.Connector.WriteAsync(
            _sf.Connection(), Enumerable.Range(1, 201).Select(i => CrmTestKit.Ended("org-a", CrmTestKit.Sid(i))).ToList(), CancellationToken.None);

        Assert.Equal(201, outcomes.Count);
        Assert.All(outcomes, o => Assert.Equal((CrmSyncResult.RetryLater, CrmTestKit.Start.AddSeconds(120)), (o.Result, o.NotBefore!.Value)));
        Assert.Single(_sf.Queries);
    }

    [Fact]
    public async Task WriteAsync_ApiRequestLimitExceeded_RetryLaterNotFailed()
    {
        _sf.GivenToken();
        _sf.Server.Given(Request.Create().WithPath($"{SalesforceStub.DataPath}/query").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(403).WithBodyAsJson(new[] { new { message = "TotalRequests Limit exceeded.", errorCode = "REQUEST_LIMIT_EXCEEDED" } }));

        var outcomes = await _sf.Connector.WriteAsync(_sf.Connection(), [CrmTestKit.Ended("org-a", CrmTestKit.Sid(1))], CancellationToken.None);

        Assert.Equal(CrmSyncResult.RetryLater, Assert.Single(outcomes).Result);
    }

    [Fact]
    public async Task WriteAsync_WrongClientSecret_EveryActivityFailsWithTheSignInError()
    {
        _sf.Server.Given(Request.Create().WithPath("/services/oauth2/token").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(400).WithBodyAsJson(new { error = "invalid_client", error_description = "invalid client credentials" }));
        var activities = Enumerable.Range(1, 3).Select(i => CrmTestKit.Ended("org-a", CrmTestKit.Sid(i))).ToList();

        var outcomes = await _sf.Connector.WriteAsync(_sf.Connection(), activities, CancellationToken.None);

        Assert.All(outcomes, o => Assert.Matches(@"^Sign-in to the CRM failed: 400 invalid_client \(trace [0-9a-f]{32}\)$", o.Message));
        Assert.All(outcomes, o => Assert.DoesNotContain("invalid client credentials", o.Message));
        Assert.All(outcomes, o => Assert.Equal(CrmSyncResult.Failed, o.Result));
        Assert.Empty(_sf.Queries);
    }

    [Fact]
    public async Task TestAsync_Reachable_ReportsSuccessAfterReadingTask()
    {
        _sf.GivenToken();
        _sf.Server.Given(Request.Create().WithPath($"{SalesforceStub.DataPath}/sobjects/Task").UsingGet())
            .RespondWith(Response.Create().WithBodyAsJson(new { objectDescribe = new { name = "Task" } }));

        var result = await _sf.Connector.TestAsync(_sf.Connection(), CancellationToken.None);

        Assert.True(result.Success, result.Message);
        Assert.Single(_sf.Requests("GET", $"{SalesforceStub.DataPath}/sobjects/Task"));
    }

    [Fact]
    public async Task TestAsync_SignInRefused_ReportsSalesforceError()
    {
        _sf.Server.Given(Request.Create().WithPath("/services/oauth2/token").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(400).WithBodyAsJson(new { error = "invalid_grant", error_description = "no client credentials user enabled" }));

        var result = await _sf.Connector.TestAsync(_sf.Connection(), CancellationToken.None);

        Assert.False(result.Success);
        Assert.Contains("400 invalid_grant (trace ", result.Message);
        Assert.DoesNotContain("no client credentials user enabled", result.Message);
    }

    [Theory]
    [InlineData("CA1", "'CA1'")]
    [InlineData("a'b", @"'a\'b'")]
    [InlineData(@"a\b", @"'a\\b'")]
    public void Literal_SpecialCharacters_Escaped(string value, string expected) =>
        Assert.Equal(expected, Playbooks.Calling.Crm.Salesforce.SalesforceTask.Literal(value));

    [Theory]
    [InlineData("https://attacker.example")]
    [InlineData("https://acme.my.salesforce.com.attacker.example")]
    [InlineData("http://10.0.0.7")]
    public async Task WriteAsync_TokenNamesInstanceOffTheAllowList_TokenNotUsedAndOrgStops(string instanceUrl)
    {
        _sf.GivenToken("stolen-if-used", instanceUrl).GivenExistingTasks().GivenCollectionsSucceed();
        var due = new[] { CrmTestKit.Ended("org-a", CrmTestKit.Sid(1)), CrmTestKit.Ended("org-a", CrmTestKit.Sid(2)) };

        var outcomes = await _sf.Connector.WriteAsync(_sf.Connection(), due, CancellationToken.None);

        Assert.All(outcomes, o => Assert.Equal(CrmSyncResult.Failed, o.Result));
        Assert.All(outcomes, o => Assert.Contains("instance_url that is not a Salesforce host", o.Message));
        Assert.Single(_sf.TokenRequests);
        Assert.Empty(_sf.Queries);
        Assert.Empty(_sf.Creates);
    }

    [Fact]
    public async Task TestAsync_TokenNamesInstanceOffTheAllowList_ReportsFailure()
    {
        _sf.GivenToken("t", "https://evil.example");

        var result = await _sf.Connector.TestAsync(_sf.Connection(), CancellationToken.None);

        Assert.False(result.Success);
        Assert.Single(_sf.Server.LogEntries);
    }

    [Fact]
    public async Task WriteAsync_StoredLoopbackHttpUrlOutsideDevelopment_NoRequestLeaves()
    {
        using var production = new SalesforceStub(options: o => o.AllowLoopbackHttp = false);
        production.GivenToken().GivenExistingTasks().GivenCollectionsSucceed();

        var outcomes = await production.Connector.WriteAsync(production.Connection(), [CrmTestKit.Ended("org-a", CrmTestKit.Sid(1))], CancellationToken.None);

        Assert.Equal(CrmSyncResult.Failed, Assert.Single(outcomes).Result);
        Assert.Contains("not a Salesforce host", outcomes[0].Message);
        Assert.Empty(production.Server.LogEntries);
    }

    [Fact]
    public async Task WriteAsync_StoredOffListHost_SecretNeverSent()
    {
        var connection = _sf.Connection() with { InstanceUrl = "https://attacker.example" };

        var outcomes = await _sf.Connector.WriteAsync(connection, [CrmTestKit.Ended("org-a", CrmTestKit.Sid(1))], CancellationToken.None);

        Assert.Equal(CrmSyncResult.Failed, Assert.Single(outcomes).Result);
        Assert.Empty(_sf.Server.LogEntries);
    }

    [Fact]
    public async Task WriteAsync_ErrorBodyWithMarker_OnlyStatusCodeAndTraceReachTheOutcomeBodyReachesTheLog()
    {
        const string marker = "MARKER-7d1e-leaked-body";
        _sf.GivenToken().GivenExistingTasks();
        _sf.Server.Given(Request.Create().WithPath($"{SalesforceStub.DataPath}/composite/sobjects").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(400).WithBodyAsJson(new[] { new { message = marker, errorCode = "MALFORMED_QUERY" } }));

        var outcomes = await _sf.Connector.WriteAsync(_sf.Connection(), [CrmTestKit.Ended("org-a", CrmTestKit.Sid(1))], CancellationToken.None);

        var message = Assert.Single(outcomes).Message!;
        Assert.DoesNotContain(marker, message);
        var trace = System.Text.RegularExpressions.Regex.Match(message, @"^400 MALFORMED_QUERY \(trace ([0-9a-f]{32})\)$");
        Assert.True(trace.Success, message);
        Assert.Contains(_sf.Log.Messages, m => m.Contains(marker) && m.Contains(trace.Groups[1].Value));
    }

    [Fact]
    public async Task WriteAsync_RecordErrorMessageWithMarker_NotInTheOutcome()
    {
        const string marker = "MARKER-record-level";
        _sf.GivenToken().GivenExistingTasks();
        _sf.Server.Given(Request.Create().WithPath($"{SalesforceStub.DataPath}/composite/sobjects").UsingPost())
            .RespondWith(Response.Create().WithBodyAsJson(new[]
            {
                new { success = false, errors = new[] { new { statusCode = $"<b>{marker}</b>", message = marker, fields = new[] { marker } } } },
            }));

        var outcomes = await _sf.Connector.WriteAsync(_sf.Connection(), [CrmTestKit.Ended("org-a", CrmTestKit.Sid(1))], CancellationToken.None);

        Assert.Equal(CrmSyncResult.Failed, outcomes[0].Result);
        Assert.DoesNotContain(marker, outcomes[0].Message);
        Assert.Contains(_sf.Log.Messages, m => m.Contains(marker));
    }

    [Fact]
    public async Task WriteAsync_NonJsonErrorBody_NotInTheOutcome()
    {
        _sf.GivenToken().GivenExistingTasks();
        _sf.Server.Given(Request.Create().WithPath($"{SalesforceStub.DataPath}/composite/sobjects").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(404).WithBody("<html>MARKER-html</html>"));

        var outcomes = await _sf.Connector.WriteAsync(_sf.Connection(), [CrmTestKit.Ended("org-a", CrmTestKit.Sid(1))], CancellationToken.None);

        Assert.Matches(@"^404 \(trace [0-9a-f]{32}\)$", outcomes[0].Message);
    }

    public static TheoryData<string, string, Dictionary<string, string?>> WhoRecordsListingTheNumber() => new()
    {
        { "Contact", "003000000000001AAA", new() { ["Phone"] = "+15005550006" } },
        { "Contact", "003000000000001AAA", new() { ["Phone"] = null, ["MobilePhone"] = "(500) 555-0006" } },
        { "Contact", "003000000000001AAA", new() { ["HomePhone"] = "500.555.0006" } },
        { "Contact", "003000000000001AAA", new() { ["OtherPhone"] = "+1 500 555 0007", ["AssistantPhone"] = "+1 (500) 555-0006" } },
        { "Lead", "00Q000000000001AAA", new() { ["MobilePhone"] = "+1-500-555-0006" } },
    };

    [Theory]
    [MemberData(nameof(WhoRecordsListingTheNumber))]
    public async Task WriteAsync_WhoRecordListsTheNumberDialed_TaskLinkedWithoutWarning(string sObject, string whoId, Dictionary<string, string?> phones)
    {
        _sf.GivenToken().GivenExistingTasks().GivenCollectionsSucceed().GivenWhoRecord(sObject, whoId, phones);

        var outcomes = await _sf.Connector.WriteAsync(_sf.Connection(), [CrmTestKit.Ended("org-a", CrmTestKit.Sid(1), crmWhoId: whoId[..15])], CancellationToken.None);

        var task = SalesforceStub.Body(Assert.Single(_sf.Creates))["records"]![0]!;
        Assert.Equal(whoId[..15], task["WhoId"]!.GetValue<string>());
        Assert.Null(Assert.Single(outcomes).Warning);
        var soql = Assert.Single(_sf.WhoQueries).RequestMessage.Query!["q"].ToString();
        Assert.Contains($"FROM {sObject} WHERE Id IN ('{whoId[..15]}')", soql);
    }

    [Fact]
    public async Task WriteAsync_WhoRecordListsOtherNumbers_TaskWrittenWithoutWhoIdAndWarned()
    {
        _sf.GivenToken().GivenExistingTasks().GivenCollectionsSucceed()
            .GivenWhoRecord("Contact", "003000000000009AAA", new() { ["Phone"] = "+15005550099", ["MobilePhone"] = "+445005550006" });

        var outcomes = await _sf.Connector.WriteAsync(_sf.Connection(), [CrmTestKit.Ended("org-a", CrmTestKit.Sid(1), crmWhoId: "003000000000009AAA")], CancellationToken.None);

        var task = SalesforceStub.Body(Assert.Single(_sf.Creates))["records"]![0]!.AsObject();
        Assert.False(task.ContainsKey("WhoId"));
        var outcome = Assert.Single(outcomes);
        Assert.Equal(CrmSyncResult.Synced, outcome.Result);
        Assert.Equal(CrmWhoCheck.NotLinked("003000000000009AAA"), outcome.Warning);
    }

    [Theory]
    [InlineData("003000000000404AAA")]
    [InlineData("001000000000001AAA")]
    [InlineData("0030000000001")]
    public async Task WriteAsync_WhoRecordNotFoundOrNotAPerson_TaskWrittenWithoutWhoIdAndWarned(string whoId)
    {
        _sf.GivenToken().GivenExistingTasks().GivenCollectionsSucceed();
        _sf.Server.Given(Request.Create().WithPath($"{SalesforceStub.DataPath}/query").WithParam("q", new WireMock.Matchers.WildcardMatcher("*FROM Contact *")).UsingGet())
            .RespondWith(Response.Create().WithBodyAsJson(new { totalSize = 0, done = true, records = Array.Empty<object>() }));

        var outcomes = await _sf.Connector.WriteAsync(_sf.Connection(), [CrmTestKit.Ended("org-a", CrmTestKit.Sid(1), crmWhoId: whoId)], CancellationToken.None);

        Assert.False(SalesforceStub.Body(Assert.Single(_sf.Creates))["records"]![0]!.AsObject().ContainsKey("WhoId"));
        Assert.Equal(CrmWhoCheck.NotLinked(whoId), Assert.Single(outcomes).Warning);
    }

    [Fact]
    public async Task WriteAsync_ContactQueryRefused_TaskStillWrittenWithoutWhoIdAndWarned()
    {
        _sf.GivenToken().GivenExistingTasks().GivenCollectionsSucceed();
        _sf.Server.Given(Request.Create().WithPath($"{SalesforceStub.DataPath}/query").WithParam("q", new WireMock.Matchers.WildcardMatcher("*FROM Contact *")).UsingGet())
            .RespondWith(Response.Create().WithStatusCode(400).WithBodyAsJson(new[] { new { message = "sObject type 'Contact' is not supported.", errorCode = "INVALID_TYPE" } }));

        var outcomes = await _sf.Connector.WriteAsync(_sf.Connection(), [CrmTestKit.Ended("org-a", CrmTestKit.Sid(1), crmWhoId: "003000000000001AAA")], CancellationToken.None);

        var outcome = Assert.Single(outcomes);
        Assert.Equal(CrmSyncResult.Synced, outcome.Result);
        Assert.Equal(CrmWhoCheck.NotLinked("003000000000001AAA"), outcome.Warning);
        Assert.False(SalesforceStub.Body(Assert.Single(_sf.Creates))["records"]![0]!.AsObject().ContainsKey("WhoId"));
    }
}
