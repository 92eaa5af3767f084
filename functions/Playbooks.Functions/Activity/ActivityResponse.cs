using Playbooks.Calling.Activity;
using Playbooks.Calling.Orgs;
using Playbooks.Calling.Recordings;

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
    bool HasRecording,
    RecordingResponse? Recording,
    string? Disposition,
    string? Notes,
    DateTimeOffset? DispositionUpdatedAt,
    CrmSyncResponse CrmSync)
{
    public static ActivityResponse From(CallActivity a) => new(
        a.AgentCallSid, a.ProspectCallSid, a.UserId, a.Method, a.ProspectNumber, a.CallerId, a.Status, a.Outcome,
        a.InitiatedAt, a.RingingAt, a.AnsweredAt, a.EndedAt, a.DurationSeconds,
        RecordingService.IsPlayable(a),
        RecordingResponse.From(a),
        a.Disposition, a.Notes, a.DispositionUpdatedAt,
        new CrmSyncResponse(a.CrmSync, a.CrmSyncMessage, a.CrmSyncAttempts))
    {
        DisclosurePlayedAt = a.DisclosurePlayedAt,
        CallerIdTier = a.CallerIdTier,
        ServerEndReason = a.ServerEndReason,
        ServerEndedAt = a.ServerEndedAt,
        Voicemail = a.VoicemailLeftAt is { } left ? new VoicemailResponse(left, a.VoicemailGreetingId, a.VoicemailGreetingName) : null,
    };

    /// <summary>Why our server hung the call up (call-too-long, rep-gone); null when it ended on its own.</summary>
    public string? ServerEndReason { get; init; }

    public DateTimeOffset? ServerEndedAt { get; init; }

    /// <summary>The greeting the rep left on the prospect's voicemail; null when none was.</summary>
    public VoicemailResponse? Voicemail { get; init; }

    /// <summary>With local presence: why the prospect saw this caller ID.</summary>
    public string? CallerIdTier { get; init; }

    /// <summary>When the prospect heard the recording disclosure; null when none played.</summary>
    public DateTimeOffset? DisclosurePlayedAt { get; init; }
}

/// <summary>
/// A call's recording as the browser may see it: never Twilio's URL or SID, only our playback path, which checks
/// who is asking (<see cref="RecordingService"/>).
/// </summary>
public sealed record RecordingResponse(int? DurationSeconds, RecordingStatus? Status, string? PlaybackPath)
{
    public static RecordingResponse? From(CallActivity a) =>
        a.RecordingSid is null && a.RecordingStatus is null
            ? null
            : new RecordingResponse(a.RecordingDuration, a.RecordingStatus, RecordingService.IsPlayable(a) ? RecordingService.PlaybackPath(a.AgentCallSid) : null);
}

/// <summary>"Voicemail left": when, and which greeting (its name as it was then).</summary>
public sealed record VoicemailResponse(DateTimeOffset LeftAt, string? GreetingId, string? GreetingName);

public sealed record CrmSyncResponse(CrmSyncState State, string? Message, int Attempts);

/// <summary>A list of activities; <see cref="ContinuationToken"/> is null on the last page.</summary>
public sealed record ActivityListResponse(IReadOnlyList<ActivityResponse> Items, string? ContinuationToken);
