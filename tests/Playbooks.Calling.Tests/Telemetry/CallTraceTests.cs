using System.Diagnostics;
using Playbooks.Calling.Activity;
using Playbooks.Calling.Calls;
using Playbooks.Calling.Telemetry;
using TestCall = Playbooks.Calling.Tests.Activity.CallEvents;

namespace Playbooks.Calling.Tests.Telemetry;

[Collection(TelemetryCollection.Name)]
public class CallTraceTests
{
    private readonly TestCall events = new();

    [Fact]
    public void ContextOf_SameCallSid_SameTraceEveryTime()
    {
        // Act
        var first = CallTrace.ContextOf("CA0001");
        var again = CallTrace.ContextOf("CA0001");
        var other = CallTrace.ContextOf("CA0002");

        // Assert
        Assert.Equal(first, again);
        Assert.NotEqual(first.TraceId, other.TraceId);
        Assert.NotEqual(default, first.TraceId);
        Assert.Equal(ActivityTraceFlags.Recorded, first.TraceFlags);
    }

    [Fact]
    public void StartPublish_NoOneListens_NoSpan()
    {
        // Act
        using var span = CallTrace.StartPublish(events.Status(CallStatus.Ringing, 1, 3));

        // Assert
        Assert.Null(span);
    }

    [Fact]
    public void StartPublish_ProspectLegEvent_InTheAgentLegsTraceWithOrgAndCallOnly()
    {
        // Arrange
        using var spans = new RecordedSpans();
        var e = events.Status(CallStatus.Completed, 3, 40, 31) with { To = "+12015550100", From = "+15005550006" };
        using var request = new System.Diagnostics.Activity("http request").Start();

        // Act
        using (CallTrace.StartPublish(e))
        {
        }

        // Assert
        var span = Assert.Single(spans.Named(CallTrace.PublishSpan));
        var agentLeg = ActivityKey.Of(e)!.Value.AgentCallSid;
        Assert.Equal(CallTrace.ContextOf(agentLeg).TraceId, span.TraceId);
        Assert.Equal(CallTrace.ContextOf(agentLeg).SpanId, span.ParentSpanId);
        Assert.Equal(ActivityKind.Producer, span.Kind);
        Assert.Equal(request.Context, Assert.Single(span.Links).Context);
        Assert.Equal(
            new Dictionary<string, string?> { [PlaybooksTelemetry.CallSidTag] = agentLeg, [PlaybooksTelemetry.OrgIdTag] = e.OrgId },
            span.Tags.ToDictionary(t => t.Key, t => t.Value));
    }

    [Fact]
    public void StartProcess_TraceParentOfThePublishSpan_ChildOfIt()
    {
        // Arrange
        using var spans = new RecordedSpans();
        var e = events.Status(CallStatus.Ringing, 1, 3);
        string? carried;
        using (CallTrace.StartPublish(e))
        {
            carried = CallTrace.CurrentTraceParent();
        }

        // Act
        using (CallTrace.StartProcess(carried))
        {
        }

        // Assert
        var published = Assert.Single(spans.Named(CallTrace.PublishSpan));
        var processed = Assert.Single(spans.Named(CallTrace.ProcessSpan));
        Assert.Equal(published.TraceId, processed.TraceId);
        Assert.Equal(published.SpanId, processed.ParentSpanId);
        Assert.Equal(ActivityKind.Consumer, processed.Kind);
    }

    [Fact]
    public void HotPath_NoOneListens_AllocatesNothing()
    {
        // Arrange
        var e = events.Status(CallStatus.Ringing, 1, 3);
        void Instrumented()
        {
            using var publish = CallTrace.StartPublish(e);
            using var process = CallTrace.StartProcess("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
            CallTrace.Identify(process, e);
            using var write = CallTrace.StartActivityWrite(e);
            using var voice = CallTrace.StartVoiceWebhook(e.CallSid);
            PlaybooksTelemetry.RecordDrained(process, "completed");
            PlaybooksTelemetry.DrainLag.Record(1.5);
        }

        Instrumented();

        // Act
        var before = GC.GetAllocatedBytesForCurrentThread();
        Instrumented();
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // Assert
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void CurrentTraceParent_CurrentSpanIsNotOurs_Null()
    {
        // Arrange
        using var spans = new RecordedSpans();
        using var request = new System.Diagnostics.Activity("http request").Start();

        // Act
        var carried = CallTrace.CurrentTraceParent();

        // Assert
        Assert.Null(carried);
    }

    [Fact]
    public void Extract_OnlyTheAzureSdksDiagnosticId_UsesIt()
    {
        // Arrange
        const string diagnosticId = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

        // Act
        var carried = CallTrace.Extract(new Dictionary<string, object> { [CallTrace.DiagnosticIdProperty] = diagnosticId });

        // Assert
        Assert.Equal(diagnosticId, carried);
    }
}
