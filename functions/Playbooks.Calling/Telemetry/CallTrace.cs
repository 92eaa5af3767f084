using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Playbooks.Calling.Activity;

namespace Playbooks.Calling.Telemetry;

/// <summary>
/// One trace per call. Twilio's webhooks are separate requests that carry no trace context, so every span of a call
/// hangs under a context derived from its agent leg's SID (the activity's key): the voice webhook, each queued event,
/// the drain that processes it, the activity write and the CRM write all share one trace id. Each span links to the
/// request or run it happened in. Between the webhook and the drain the W3C context travels in the queue message.
/// Every method returns at once, allocating nothing, while no one listens to <see cref="PlaybooksTelemetry.Source"/>.
/// </summary>
public static class CallTrace
{
    /// <summary>The W3C header name, used as the Service Bus application property and the Storage queue envelope field.</summary>
    public const string TraceParentProperty = "traceparent";

    /// <summary>Where the Azure SDK and Application Insights look for a Service Bus message's parent.</summary>
    public const string DiagnosticIdProperty = "Diagnostic-Id";

    public const string VoiceWebhookSpan = "twilio voice";
    public const string PublishSpan = "call-events publish";
    public const string ProcessSpan = "call-events process";
    public const string ActivityWriteSpan = "activity write";
    public const string CrmWriteSpan = "crm write";

    /// <summary>The parent every span of the call hangs under; never exported itself.</summary>
    public static ActivityContext ContextOf(string agentCallSid)
    {
        var input = Encoding.UTF8.GetBytes("playbooks-call:" + agentCallSid);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(input, hash);
        return new ActivityContext(
            ActivityTraceId.CreateFromBytes(hash[..16]), ActivitySpanId.CreateFromBytes(hash[16..24]), ActivityTraceFlags.Recorded, isRemote: true);
    }

    /// <summary>The SID a call event's trace is keyed by: its activity's agent leg, or the leg itself for an agent leg's own status.</summary>
    public static string CallSidOf(CallEventMessage e) => ActivityKey.Of(e)?.AgentCallSid ?? e.CallSid;

    /// <summary>The voice webhook's span for the agent leg <paramref name="callSid"/>.</summary>
    public static System.Diagnostics.Activity? StartVoiceWebhook(string? callSid) =>
        string.IsNullOrEmpty(callSid) || !PlaybooksTelemetry.Source.HasListeners()
            ? null
            : StartInCall(VoiceWebhookSpan, ActivityKind.Internal, callSid, orgId: null);

    /// <summary>A webhook queuing <paramref name="e"/>; the publisher carries this span's context in the message.</summary>
    public static System.Diagnostics.Activity? StartPublish(CallEventMessage e) =>
        PlaybooksTelemetry.Source.HasListeners() ? StartInCall(PublishSpan, ActivityKind.Producer, CallSidOf(e), e.OrgId) : null;

    /// <summary>The activity writer processing one received message: a child of the span that queued it when the message says which.</summary>
    public static System.Diagnostics.Activity? StartProcess(string? traceParent)
    {
        if (!PlaybooksTelemetry.Source.HasListeners())
        {
            return null;
        }

        if (traceParent is null || !ActivityContext.TryParse(traceParent, null, isRemote: true, out var parent))
        {
            return PlaybooksTelemetry.Source.StartActivity(ProcessSpan, ActivityKind.Consumer);
        }

        return PlaybooksTelemetry.Source.StartActivity(ProcessSpan, ActivityKind.Consumer, parent, links: LinkToCurrent());
    }

    /// <summary>Names the org and call on a span once the event is read.</summary>
    public static void Identify(System.Diagnostics.Activity? span, CallEventMessage e)
    {
        if (span is { IsAllDataRequested: true })
        {
            span.SetTag(PlaybooksTelemetry.OrgIdTag, e.OrgId);
            span.SetTag(PlaybooksTelemetry.CallSidTag, CallSidOf(e));
        }
    }

    /// <summary>Merging <paramref name="e"/> into its activity and saving it.</summary>
    public static System.Diagnostics.Activity? StartActivityWrite(CallEventMessage e)
    {
        var span = PlaybooksTelemetry.Source.HasListeners() ? PlaybooksTelemetry.Source.StartActivity(ActivityWriteSpan) : null;
        Identify(span, e);
        return span;
    }

    /// <summary>The W3C context of the current span when it is ours (the publish span), to carry in a queued message; null otherwise.</summary>
    public static string? CurrentTraceParent() =>
        System.Diagnostics.Activity.Current is { } current && current.Source == PlaybooksTelemetry.Source
            ? $"00-{current.TraceId.ToHexString()}-{current.SpanId.ToHexString()}-{(current.Recorded ? "01" : "00")}"
            : null;

    /// <summary>Puts the current span's context into a message's properties (Service Bus application properties).</summary>
    public static void Inject(IDictionary<string, object> properties)
    {
        if (CurrentTraceParent() is { } traceParent)
        {
            properties[TraceParentProperty] = traceParent;
            properties[DiagnosticIdProperty] = traceParent;
        }
    }

    /// <summary>The context a message's properties carry: <c>traceparent</c>, else the Azure SDK's <c>Diagnostic-Id</c>.</summary>
    public static string? Extract(IReadOnlyDictionary<string, object> properties) =>
        properties.TryGetValue(TraceParentProperty, out var value) && value is string traceParent ? traceParent
        : properties.TryGetValue(DiagnosticIdProperty, out value) && value is string diagnosticId ? diagnosticId
        : null;

    /// <summary>A span of the call <paramref name="callSid"/> that happened between <paramref name="startedAt"/> and now, linked to <paramref name="link"/>.</summary>
    internal static System.Diagnostics.Activity? StartInCall(
        string name, ActivityKind kind, string callSid, string? orgId, DateTimeOffset startedAt = default, ActivityContext link = default)
    {
        var links = link == default ? LinkToCurrent() : [new ActivityLink(link)];
        var span = PlaybooksTelemetry.Source.StartActivity(name, kind, ContextOf(callSid), links: links, startTime: startedAt);
        if (span is { IsAllDataRequested: true })
        {
            span.SetTag(PlaybooksTelemetry.CallSidTag, callSid);
            if (orgId is not null)
            {
                span.SetTag(PlaybooksTelemetry.OrgIdTag, orgId);
            }
        }

        return span;
    }

    private static ActivityLink[]? LinkToCurrent() =>
        System.Diagnostics.Activity.Current is { } current ? [new ActivityLink(current.Context)] : null;
}
