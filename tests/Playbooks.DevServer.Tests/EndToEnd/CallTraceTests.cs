using System.Diagnostics;
using System.Net;
using OpenTelemetry;
using OpenTelemetry.Trace;
using Playbooks.Calling.Telemetry;
using Playbooks.DevServer.Tests.Http;
using Playbooks.DevServer.Tests.TwilioSimulator;

namespace Playbooks.DevServer.Tests.EndToEnd;

/// <summary>
/// One computer-based call through the simulator, the webhooks, the Storage queue, the activity writer and the Salesforce
/// stand-in, recorded with OpenTelemetry's in-memory exporter: every step is a span of the call's one trace.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class CallTraceTests(EndToEndServer server)
{
    private const string Answers = "+12015550100";
    private const string WhoId = "003000000000002AAA";

    [Fact]
    public async Task ComputerCall_EndsAndSyncsToSalesforce_OneTraceFromTheVoiceWebhookToTheCrmWrite()
    {
        // Arrange
        var exported = new List<System.Diagnostics.Activity>();
        var tracing = Sdk.CreateTracerProviderBuilder().AddSource(PlaybooksTelemetry.Name).AddInMemoryExporter(exported).Build();
        using var salesforce = new SalesforceOrgStub().GivenContact(WhoId, "(201) 555-0100");
        var org = await CallingOrg.CreateAsync(server, recording: "off");
        using var admin = await org.AdminAsync();
        await (await admin.PutAsync("/api/admin/crm", new { provider = "salesforce", instanceUrl = salesforce.Url, clientId = "trace-consumer-key" }))
            .JsonAsync(HttpStatusCode.OK);
        using var rep = await org.RepAsync();

        // Act
        string callSid;
        try
        {
            callSid = await server.Simulator.ConnectAsync(
                await LiveDevServer.VoiceTokenAsync(rep), Answers, new Dictionary<string, string> { ["whoId"] = WhoId });
            await server.WaitForCallAsync(callSid, s => s.ChildStatus == "in-progress");
            (await server.Simulator.HangupAsync(callSid)).EnsureSuccessStatusCode();
            await server.WaitUntilSettledAsync(callSid);
            await Activities.WaitForSettledAsync(server, rep, callSid, a => Activities.CrmState(a) == "synced");
        }
        finally
        {
            tracing.Dispose();
        }

        // Assert: the voice webhook, each queued event and its processing, the activity writes and the CRM write, in one trace.
        var trace = CallTrace.ContextOf(callSid).TraceId;
        var spans = exported.Where(s => s.TraceId == trace).ToList();
        var voice = Assert.Single(spans, s => s.OperationName == CallTrace.VoiceWebhookSpan);
        Assert.Equal(callSid, voice.GetTagItem(PlaybooksTelemetry.CallSidTag));

        var published = spans.Where(s => s.OperationName == CallTrace.PublishSpan).ToList();
        var processed = spans.Where(s => s.OperationName == CallTrace.ProcessSpan).ToList();
        Assert.NotEmpty(published);
        Assert.All(processed, p => Assert.Contains(published, q => q.SpanId == p.ParentSpanId));
        Assert.Contains(processed, p => (string?)p.GetTagItem(PlaybooksTelemetry.OutcomeTag) == "completed");

        var writes = spans.Where(s => s.OperationName == CallTrace.ActivityWriteSpan).ToList();
        Assert.NotEmpty(writes);
        Assert.All(writes, w => Assert.Contains(processed, p => p.SpanId == w.ParentSpanId));

        var crm = Assert.Single(spans, s => s.OperationName == CallTrace.CrmWriteSpan && (string?)s.GetTagItem(PlaybooksTelemetry.OutcomeTag) == "synced");
        Assert.Equal("salesforce", crm.GetTagItem(PlaybooksTelemetry.ProviderTag));
        Assert.Equal(org.OrgId, crm.GetTagItem(PlaybooksTelemetry.OrgIdTag));
        Assert.Single(crm.Links);

        // Never a phone number in a span.
        Assert.All(spans.SelectMany(s => s.Tags), tag => Assert.DoesNotContain("2015550100", tag.Value ?? "", StringComparison.Ordinal));
    }
}
