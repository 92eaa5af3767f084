using System.Text.Json.Serialization;
using Playbooks.Calling.Orgs;

namespace Playbooks.Calling.Activity;

/// <summary>
/// The record of truth for one prospect leg, built by <see cref="ActivityMerger"/> from its events.
/// Every field is plain data so that two activities merged from the same events are equal as records.
/// </summary>
public sealed record CallActivity
{
    public required string OrgId { get; init; }

    /// <summary>The agent leg that dialed the prospect; with <see cref="OrgId"/> the activity's key.</summary>
    public required string AgentCallSid { get; init; }

    public string? ProspectCallSid { get; init; }

    /// <summary>The rep who placed the call.</summary>
    public string? UserId { get; init; }

    public CallingMethod? Method { get; init; }

    public string? ProspectNumber { get; init; }

    public string? CallerId { get; init; }

    public string? CrmWhoId { get; init; }

    /// <summary>With local presence: why the prospect saw <see cref="CallerId"/> (area-code, region, country or default).</summary>
    public string? CallerIdTier { get; init; }

    /// <summary>The furthest status the prospect leg reached; null until its first status callback.</summary>
    public CallStatus? Status { get; init; }

    /// <summary>The sequence number of the status event that set <see cref="Status"/>; breaks ties between terminal statuses.</summary>
    public int? StatusSequenceNumber { get; init; }

    // Twilio only reports "completed" for a call that was answered, so it means connected even when the
    // in-progress callback never reached us; an unanswered leg ends as no-answer, busy, failed or canceled.
    public CallOutcome? Outcome => Status switch
    {
        CallStatus.Completed => CallOutcome.Connected,
        CallStatus.Busy => CallOutcome.Busy,
        CallStatus.NoAnswer => CallOutcome.NoAnswer,
        CallStatus.Failed => CallOutcome.Failed,
        CallStatus.Canceled => CallOutcome.Canceled,
        _ => null,
    };

    public DateTimeOffset? InitiatedAt { get; init; }

    public DateTimeOffset? RingingAt { get; init; }

    public DateTimeOffset? AnsweredAt { get; init; }

    public DateTimeOffset? EndedAt { get; init; }

    public int? DurationSeconds { get; init; }

    public string? RecordingSid { get; init; }

    public string? RecordingUrl { get; init; }

    public int? RecordingDuration { get; init; }

    public RecordingStatus? RecordingStatus { get; init; }

    /// <summary>When the prospect heard the recording disclosure, before the legs were bridged; null when it never played.</summary>
    public DateTimeOffset? DisclosurePlayedAt { get; init; }

    /// <summary>"say" or "play": how the disclosure was given.</summary>
    public string? Disclosure { get; init; }

    /// <summary>When our server hung the call up because nobody did; null for a call that ended on its own.</summary>
    public DateTimeOffset? ServerEndedAt { get; init; }

    /// <summary>Why our server hung the call up: one of <see cref="Calls.ServerEndReasons"/>.</summary>
    public string? ServerEndReason { get; init; }
    /// <summary>When the rep left a greeting on the prospect's voicemail; null when they did not.</summary>
    public DateTimeOffset? VoicemailLeftAt { get; init; }

    public string? VoicemailGreetingId { get; init; }

    /// <summary>The greeting's name when it was left.</summary>
    public string? VoicemailGreetingName { get; init; }

    public string? Disposition { get; init; }

    public string? Notes { get; init; }

    public DateTimeOffset? DispositionUpdatedAt { get; init; }

    public string? DispositionUserId { get; init; }

    /// <summary>Written by the CRM step; events only ever move it back to pending (see <see cref="ActivityMerger"/>).</summary>
    public CrmSyncState CrmSync { get; init; } = CrmSyncState.Pending;

    public string? CrmSyncMessage { get; init; }

    /// <summary>Failed attempts to write the current CRM-visible content.</summary>
    public int CrmSyncAttempts { get; init; }

    [JsonIgnore]
    public ActivityKey Key => new(OrgId, AgentCallSid);

    /// <summary>What the org's CRM shows of this activity; a change here after a sync needs another sync.</summary>
    [JsonIgnore]
    public CrmFields CrmView => new(
        UserId, Method, ProspectNumber, CallerId, CrmWhoId, Outcome, AnsweredAt, EndedAt, DurationSeconds,
        RecordingUrl, RecordingDuration, Disposition, Notes)
    {
        VoicemailGreeting = VoicemailLeftAt is null ? null : VoicemailGreetingName ?? VoicemailGreetingId,
    };

    public static CallActivity Empty(ActivityKey key) => new() { OrgId = key.OrgId, AgentCallSid = key.AgentCallSid };

    public CallActivity MarkCrmSynced() => this with { CrmSync = CrmSyncState.Synced, CrmSyncMessage = null, CrmSyncAttempts = 0 };

    public CallActivity MarkCrmSyncFailed(string message) =>
        this with { CrmSync = CrmSyncState.SyncFailed, CrmSyncMessage = message, CrmSyncAttempts = CrmSyncAttempts + 1 };
}

/// <summary>The fields of a <see cref="CallActivity"/> that the org's CRM shows.</summary>
public sealed record CrmFields(
    string? UserId,
    CallingMethod? Method,
    string? ProspectNumber,
    string? CallerId,
    string? CrmWhoId,
    CallOutcome? Outcome,
    DateTimeOffset? AnsweredAt,
    DateTimeOffset? EndedAt,
    int? DurationSeconds,
    string? RecordingUrl,
    int? RecordingDuration,
    string? Disposition,
    string? Notes)
{
    /// <summary>The greeting left on the prospect's voicemail, by name; null when none was.</summary>
    public string? VoicemailGreeting { get; init; }
}
