using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Playbooks.Calling.Telemetry;

/// <summary>
/// The one ActivitySource and the one Meter of the app, both named "Playbooks.Calling", and every instrument on it.
/// Spans and measurements carry the org and the call SID at most: never phone numbers, names, secrets or tokens.
/// </summary>
public static class PlaybooksTelemetry
{
    public const string Name = "Playbooks.Calling";

    public const string OrgIdTag = "playbooks.org_id";
    public const string CallSidTag = "playbooks.call_sid";
    public const string OutcomeTag = "playbooks.outcome";
    public const string ProviderTag = "playbooks.crm_provider";
    public const string TokenKindTag = "playbooks.token_kind";
    public const string ProblemCodeTag = "playbooks.problem_code";

    public const string EventsDrainedInstrument = "playbooks.call_events.drained";
    public const string DrainLagInstrument = "playbooks.call_events.drain_lag";
    public const string DeadLettersInstrument = "playbooks.call_events.dead_letters";
    public const string CrmSyncOutcomesInstrument = "playbooks.crm.sync_outcomes";
    public const string TokensMintedInstrument = "playbooks.tokens.minted";
    public const string RefusalsInstrument = "playbooks.api.refusals";

    public static readonly ActivitySource Source = new(Name);

    public static readonly Meter Meter = new(Name);

    /// <summary>Call events the activity writer settled, by outcome (completed, retried, abandoned, dead-lettered, settle-failed).</summary>
    public static readonly Counter<long> EventsDrained = Meter.CreateCounter<long>(
        EventsDrainedInstrument, unit: "{event}", description: "Call events the activity writer settled, by outcome.");

    /// <summary>From our webhook accepting an event to the writer completing it, retries included.</summary>
    public static readonly Histogram<double> DrainLag = Meter.CreateHistogram(
        DrainLagInstrument, unit: "s", description: "Time from a webhook queuing a call event to the activity writer completing it.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600] });

    /// <summary>CRM write outcomes per activity, by outcome (synced, failed, retry-later, skipped, error) and provider.</summary>
    public static readonly Counter<long> CrmSyncOutcomes = Meter.CreateCounter<long>(
        CrmSyncOutcomesInstrument, unit: "{activity}", description: "Outcomes of writing call activities to CRMs.");

    /// <summary>Twilio access tokens minted, by kind (voice, preflight).</summary>
    public static readonly Counter<long> TokensMinted = Meter.CreateCounter<long>(
        TokensMintedInstrument, unit: "{token}", description: "Twilio Voice access tokens minted.");

    /// <summary>problem+json responses, by problem code and HTTP status.</summary>
    public static readonly Counter<long> Refusals = Meter.CreateCounter<long>(
        RefusalsInstrument, unit: "{response}", description: "API responses refused with problem+json, by problem code.");

    private static long deadLetterDepth = -1;

    /// <summary>Counts one settled call event and marks its processing span with the outcome.</summary>
    public static void RecordDrained(System.Diagnostics.Activity? span, string outcome)
    {
        EventsDrained.Add(1, new KeyValuePair<string, object?>(OutcomeTag, outcome));
        if (span is { IsAllDataRequested: true })
        {
            span.SetTag(OutcomeTag, outcome);
            if (outcome != "completed")
            {
                span.SetStatus(ActivityStatusCode.Error, outcome);
            }
        }
    }

    static PlaybooksTelemetry()
    {
        Meter.CreateObservableGauge(DeadLettersInstrument, DeadLetterDepth, unit: "{message}",
            description: "Call events in the dead-letter queue (counted up to the list limit).");
    }

    /// <summary>The dead-letter queue's depth as last counted; the gauge reports nothing until the first count.</summary>
    public static void ObserveDeadLetterDepth(long depth) => Interlocked.Exchange(ref deadLetterDepth, depth);

    private static IEnumerable<Measurement<long>> DeadLetterDepth()
    {
        var value = Interlocked.Read(ref deadLetterDepth);
        return value < 0 ? [] : [new Measurement<long>(value)];
    }
}
