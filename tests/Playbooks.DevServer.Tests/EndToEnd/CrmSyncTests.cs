using System.Net;
using System.Net.Http.Json;
using System.Web;
using Playbooks.DevServer.Tests.Http;
using Playbooks.DevServer.Tests.TwilioSimulator;

namespace Playbooks.DevServer.Tests.EndToEnd;

/// <summary>
/// A call through the simulator lands in the org's Salesforce (a WireMock stand-in) as exactly one Task, which later
/// events (a recording callback, the rep's disposition) update in place.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class CrmSyncTests(EndToEndServer server)
{
    private const string Answers = "+12015550100";
    private const string WhoId = "003000000000001AAA";

    [Fact]
    public async Task Salesforce_CallEndsThenRecordingAndDispositionArrive_OneTaskCreatedThenUpdated()
    {
        // Arrange: an org without recording, so the recording callback comes only when the test sends it.
        using var salesforce = new SalesforceOrgStub().GivenContact(WhoId, "(201) 555-0100");
        var org = await CallingOrg.CreateAsync(server, recording: "off");
        using var admin = await org.AdminAsync();
        await (await admin.PutAsync("/api/admin/crm", new
        {
            provider = "salesforce",
            instanceUrl = salesforce.Url,
            clientId = "e2e-consumer-key",
        })).JsonAsync(HttpStatusCode.OK);
        using var rep = await org.RepAsync();
        var callSid = await server.Simulator.ConnectAsync(
            await LiveDevServer.VoiceTokenAsync(rep), Answers, new Dictionary<string, string> { ["whoId"] = WhoId });
        await server.WaitForCallAsync(callSid, s => s.ChildStatus == "in-progress");
        await Task.Delay(100); // about 5 simulated seconds of talk

        // Act 1: the call ends.
        (await server.Simulator.HangupAsync(callSid)).EnsureSuccessStatusCode();

        // Assert 1: one Task created for it, signed in with the secret from configuration.
        var sim = await server.WaitUntilSettledAsync(callSid);
        var ended = await Activities.WaitForSettledAsync(server, rep, callSid, a => Activities.CrmState(a) == "synced");
        var created = Assert.Single(SalesforceOrgStub.Records(salesforce.Creates));
        Assert.Empty(salesforce.Updates);
        Assert.Equal(callSid, SalesforceOrgStub.Text(created, "CallObject"));
        Assert.Equal("Call", SalesforceOrgStub.Text(created, "TaskSubtype"));
        Assert.Equal("Outbound", SalesforceOrgStub.Text(created, "CallType"));
        Assert.Equal("Completed", SalesforceOrgStub.Text(created, "Status"));
        Assert.Equal($"Call to {Answers}", SalesforceOrgStub.Text(created, "Subject"));
        Assert.Equal(WhoId, SalesforceOrgStub.Text(created, "WhoId"));
        Assert.Equal(sim.ChildDuration, created["CallDurationInSeconds"]!.GetValue<int>());
        Assert.Equal(ended.GetProperty("durationSeconds").GetInt32(), created["CallDurationInSeconds"]!.GetValue<int>());
        Assert.DoesNotContain("Recording:", SalesforceOrgStub.Text(created, "Description"), StringComparison.Ordinal);
        var signIn = HttpUtility.ParseQueryString(salesforce.TokenRequests[0].RequestMessage.Body!);
        Assert.Equal(("client_credentials", "e2e-consumer-key", EndToEndServer.CrmSecretValue),
            (signIn["grant_type"], signIn["client_id"], signIn["client_secret"]));
        var taskId = await TaskIdAsync(salesforce, callSid);

        // Act 2: Twilio's recording callback comes later.
        var recordingUrl = TwilioWebhooks.NewRecordingUrl(server);
        var callback = await TwilioWebhooks.PostRecordingCompletedAsync(server, org.OrgId, CallingOrg.RepId, callSid, recordingUrl, durationSeconds: 4);
        Assert.Equal(HttpStatusCode.NoContent, callback.StatusCode);

        // Assert 2: the same Task updated to say a recording exists, without its link.
        await Activities.WaitForRecentAsync(rep, callSid, a => Activities.HasRecording(a) && Activities.CrmState(a) == "synced");
        var recorded = Assert.Single(SalesforceOrgStub.Records(salesforce.Updates));
        Assert.Equal(taskId, SalesforceOrgStub.Text(recorded, "Id"));
        Assert.Equal(callSid, SalesforceOrgStub.Text(recorded, "CallObject"));
        Assert.Null(recorded["TaskSubtype"]);
        Assert.Contains("Recording: recorded (4 s)", SalesforceOrgStub.Text(recorded, "Description"), StringComparison.Ordinal);
        Assert.DoesNotContain(recordingUrl, SalesforceOrgStub.Text(recorded, "Description"), StringComparison.Ordinal);

        // Act 3: the rep's disposition.
        await (await rep.PutAsJsonAsync($"/api/calls/{callSid}/disposition", new { disposition = "meeting-booked", notes = "Demo on Friday" }))
            .JsonAsync(HttpStatusCode.OK);

        // Assert 3: the same Task again, never a second one.
        await Activities.WaitForRecentAsync(rep, callSid, a => a.TryGetProperty("disposition", out _) && Activities.CrmState(a) == "synced");
        var updates = SalesforceOrgStub.Records(salesforce.Updates);
        Assert.Equal(2, updates.Count);
        Assert.Equal(taskId, SalesforceOrgStub.Text(updates[1], "Id"));
        Assert.Equal("meeting-booked", SalesforceOrgStub.Text(updates[1], "CallDisposition"));
        Assert.Contains("Notes: Demo on Friday", SalesforceOrgStub.Text(updates[1], "Description"), StringComparison.Ordinal);
        Assert.Contains("Recording: recorded (4 s)", SalesforceOrgStub.Text(updates[1], "Description"), StringComparison.Ordinal);
        Assert.Single(salesforce.Creates);
    }

    [Fact]
    public async Task Dynamics_CallEndsThenRecordingArrives_OnePhonecallUpsertedUnderOneId()
    {
        // Arrange
        var org = await CallingOrg.CreateAsync(server, recording: "off");
        using var admin = await org.AdminAsync();
        var tenantId = Guid.NewGuid().ToString();
        await (await admin.PutAsync("/api/admin/crm", new
        {
            provider = "dynamics",
            instanceUrl = server.Dataverse.Url,
            tenantId,
            clientId = Guid.NewGuid().ToString(),
        })).JsonAsync(HttpStatusCode.OK);
        using var rep = await org.RepAsync();
        var callSid = await server.Simulator.ConnectAsync(await LiveDevServer.VoiceTokenAsync(rep), Answers);
        await server.WaitForCallAsync(callSid, s => s.ChildStatus == "in-progress");
        await Task.Delay(100); // about 5 simulated seconds of talk

        // Act 1: the call ends.
        (await server.Simulator.HangupAsync(callSid)).EnsureSuccessStatusCode();

        // Assert 1: one phonecall upsert, signed in at the org's tenant for the environment's scope.
        await server.WaitUntilSettledAsync(callSid);
        await Activities.WaitForSettledAsync(server, rep, callSid, a => Activities.CrmState(a) == "synced");
        var first = Assert.Single(server.Dataverse.UpsertsOf(callSid));
        var path = first.RequestMessage.Path;
        Assert.Matches(@"^/api/data/v9\.2/phonecalls\([0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}\)$", path);
        var body = DataverseStub.Body(first);
        Assert.Equal(Answers, body["phonenumber"]!.GetValue<string>());
        Assert.True(body["directioncode"]!.GetValue<bool>());
        Assert.Equal(1, body["actualdurationminutes"]!.GetValue<int>());
        Assert.NotNull(body["actualstart"]);
        Assert.NotNull(body["actualend"]);
        var signIn = Assert.Single(server.Dataverse.TokenRequests, t => t.RequestMessage.Path == $"/{tenantId}/oauth2/v2.0/token");
        var form = HttpUtility.ParseQueryString(signIn.RequestMessage.Body!);
        Assert.Equal(($"{server.Dataverse.Url}/.default", EndToEndServer.CrmSecretValue), (form["scope"], form["client_secret"]));

        // Act 2: the recording callback comes later.
        var recordingUrl = TwilioWebhooks.NewRecordingUrl(server);
        var callback = await TwilioWebhooks.PostRecordingCompletedAsync(server, org.OrgId, CallingOrg.RepId, callSid, recordingUrl, durationSeconds: 4);
        Assert.Equal(HttpStatusCode.NoContent, callback.StatusCode);

        // Assert 2: the same phonecall upserted again, saying a recording exists, without its link.
        await Activities.WaitForRecentAsync(rep, callSid, a => Activities.HasRecording(a) && Activities.CrmState(a) == "synced");
        var upserts = server.Dataverse.UpsertsOf(callSid);
        Assert.Equal(2, upserts.Count);
        Assert.Equal(path, upserts[1].RequestMessage.Path);
        Assert.Contains("Recording: recorded (4 s)", DataverseStub.Body(upserts[1])["description"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.DoesNotContain(recordingUrl, DataverseStub.Body(upserts[1])["description"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    /// <summary>The Task id Salesforce gave the call, as the connector's own query finds it.</summary>
    private static async Task<string> TaskIdAsync(SalesforceOrgStub salesforce, string callSid)
    {
        using var http = new HttpClient();
        var soql = Uri.EscapeDataString($"SELECT Id, CallObject FROM Task WHERE CallObject IN ('{callSid}')");
        var found = await (await http.GetAsync($"{salesforce.Url}{SalesforceOrgStub.DataPath}/query?q={soql}")).JsonAsync(HttpStatusCode.OK);
        return Assert.Single(found.GetProperty("records").EnumerateArray()).Str("Id");
    }
}
