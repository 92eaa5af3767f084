using Playbooks.Calling.Activity;
using Playbooks.Calling.Orgs;

namespace Playbooks.Functions.Activity;

/// <summary>A call activity as the API shows it (camelCase JSON; enums as their wire names).</summary>
public sealed record ActivityResponse(
    string CallSid,
    string? ProspectCallSid,
    string? UserId,
    CallingMethod? Method,
    string? ProspectNumber,
    string? CallerId,
    CallStatus? Status,
    CallOutcome? Outcome,
    DateTimeOffset? InitiatedAt,
    DateTimeOffset? RingingAt,
    DateTimeOffset? AnsweredAt,
    DateTimeOffset? EndedAt,
    int? DurationSeconds,
    RecordingResponse? Recording,
    string? Disposition,
    string? Notes,
    DateTimeOffset? DispositionUpdatedAt,
    CrmSyncResponse CrmSync)
{
    public static ActivityResponse From(CallActivity a) => new(
        a.AgentCallSid, a.ProspectCallSid, a.UserId, a.Method, a.ProspectNumber, a.CallerId, a.Status, a.Outcome,
        a.InitiatedAt, a.RingingAt, a.AnsweredAt, a.EndedAt, a.DurationSeconds,
        a.RecordingSid is null ? null : new RecordingResponse(a.RecordingSid, a.RecordingUrl, a.RecordingDuration, a.RecordingStatus),
        a.Disposition, a.Notes, a.DispositionUpdatedAt,
        new CrmSyncResponse(a.CrmSync, a.CrmSyncMessage, a.CrmSyncAttempts));
}

public sealed record RecordingResponse(string Sid, string? Url, int? DurationSeconds, RecordingStatus? Status);

public sealed record CrmSyncResponse(CrmSyncState State, string? Message, int Attempts);

/// <summary>A list of activities; <see cref="ContinuationToken"/> is null on the last page.</summary>
public sealed record ActivityListResponse(IReadOnlyList<ActivityResponse> Items, string? ContinuationToken);
