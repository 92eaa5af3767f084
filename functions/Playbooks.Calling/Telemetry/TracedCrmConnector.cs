using System.Diagnostics;
using Playbooks.Calling.Activity;
using Playbooks.Calling.Crm;

namespace Playbooks.Calling.Telemetry;

/// <summary>
/// Wraps a CRM connector: counts each activity's outcome (<see cref="PlaybooksTelemetry.CrmSyncOutcomes"/>) and, while
/// someone listens, records one <c>crm write</c> span for the request in the current trace and one in each call's
/// trace, linked to it, so a call's trace ends with the CRM write.
/// </summary>
public sealed class TracedCrmConnector(ICrmConnector inner, TimeProvider time) : ICrmConnector
{
    public const string ErrorOutcome = "error";

    public CrmProvider Provider => inner.Provider;

    public async Task<IReadOnlyList<CrmSyncOutcome>> WriteAsync(
        CrmConnection connection, IReadOnlyList<CallActivity> activities, CancellationToken cancellationToken)
    {
        var provider = inner.Provider.ToWire();
        var startedAt = time.GetUtcNow();
        using var request = PlaybooksTelemetry.Source.HasListeners()
            ? PlaybooksTelemetry.Source.StartActivity(CallTrace.CrmWriteSpan, ActivityKind.Client)
            : null;
        request?.SetTag(PlaybooksTelemetry.OrgIdTag, connection.OrgId);
        request?.SetTag(PlaybooksTelemetry.ProviderTag, provider);
        try
        {
            var outcomes = await inner.WriteAsync(connection, activities, cancellationToken);
            foreach (var outcome in outcomes)
            {
                Record(outcome.Key.OrgId, outcome.Key.AgentCallSid, provider, Wire(outcome.Result), startedAt, request);
            }

            return outcomes;
        }
        catch (Exception e)
        {
            request?.SetStatus(ActivityStatusCode.Error, e.GetType().Name);
            foreach (var activity in activities)
            {
                Record(activity.OrgId, activity.Key.AgentCallSid, provider, ErrorOutcome, startedAt, request);
            }

            throw;
        }
    }

    public Task<CrmConnectionTest> TestAsync(CrmConnection connection, CancellationToken cancellationToken) =>
        inner.TestAsync(connection, cancellationToken);

    private static void Record(string orgId, string callSid, string provider, string outcome, DateTimeOffset startedAt, System.Diagnostics.Activity? request)
    {
        PlaybooksTelemetry.CrmSyncOutcomes.Add(1,
            new KeyValuePair<string, object?>(PlaybooksTelemetry.OutcomeTag, outcome),
            new KeyValuePair<string, object?>(PlaybooksTelemetry.ProviderTag, provider));
        if (request is null)
        {
            return;
        }

        using var span = CallTrace.StartInCall(CallTrace.CrmWriteSpan, ActivityKind.Client, callSid, orgId, startedAt, request.Context);
        span?.SetTag(PlaybooksTelemetry.ProviderTag, provider);
        span?.SetTag(PlaybooksTelemetry.OutcomeTag, outcome);
        if (outcome is "failed" or ErrorOutcome)
        {
            span?.SetStatus(ActivityStatusCode.Error, outcome);
        }
    }

    private static string Wire(CrmSyncResult result) => result switch
    {
        CrmSyncResult.Synced => "synced",
        CrmSyncResult.Failed => "failed",
        CrmSyncResult.RetryLater => "retry-later",
        _ => "skipped",
    };
}
