using Playbooks.Calling.Orgs;

namespace Playbooks.Calling.Activity;

/// <summary>
/// One event on its way to the activity writer (queue "call-events"): a Twilio status callback of a call leg,
/// a Twilio recording status callback, or the rep's after-call disposition. Fields that do not belong to
/// <see cref="Kind"/> are null. Serialized by <see cref="CallEventSerializer"/>.
/// </summary>
public sealed record CallEventMessage
{
    public const int CurrentVersion = 1;

    public int Version { get; init; } = CurrentVersion;

    public required CallEventKind Kind { get; init; }

    public required string OrgId { get; init; }

    /// <summary>
    /// Twilio's CallSid. For a recording this is always the parent (agent) leg; for a disposition it is the
    /// agent leg's SID the rep's client knows.
    /// </summary>
    public required string CallSid { get; init; }

    /// <summary>When our webhook accepted the event. Never used by the merge: a retried callback differs only here.</summary>
    public required DateTimeOffset ReceivedAt { get; init; }

    /// <summary>Twilio's <c>Timestamp</c> (or <c>RecordingStartTime</c> for a recording).</summary>
    public DateTimeOffset? Timestamp { get; init; }

    // call-status

    public CallLeg? Leg { get; init; }

    public string? ParentCallSid { get; init; }

    public CallStatus? CallStatus { get; init; }

    public int? SequenceNumber { get; init; }

    /// <summary>Seconds; Twilio sends it only with terminal statuses.</summary>
    public int? CallDuration { get; init; }

    public string? To { get; init; }

    public string? From { get; init; }

    public string? Direction { get; init; }

    /// <summary>The rep; from our callback URL's query (call-status) or the signed-in editor (disposition).</summary>
    public string? UserId { get; init; }

    public CallingMethod? Method { get; init; }

    public string? AgentCallSid { get; init; }

    /// <summary>The CRM lead or contact the dialer called.</summary>
    public string? CrmWhoId { get; init; }

    /// <summary>With local presence: which tier picked the caller ID (area-code, region, country, default).</summary>
    public string? CallerIdTier { get; init; }

    // recording-status

    public string? RecordingSid { get; init; }

    public string? RecordingUrl { get; init; }

    public RecordingStatus? RecordingStatus { get; init; }

    public int? RecordingDuration { get; init; }

    // disclosure

    /// <summary>What the prospect heard: "say" (the org's text) or "play" (the org's recording).</summary>
    public string? DisclosureKind { get; init; }

    // server-ended

    /// <summary>Why our server hung the call up: one of <see cref="Calls.ServerEndReasons"/>.</summary>
    public string? EndReason { get; init; }

    // voicemail-drop

    /// <summary>The greeting the rep left on the prospect's voicemail.</summary>
    public string? GreetingId { get; init; }

    /// <summary>The greeting's name when it was left (the rep may delete or rename greetings later).</summary>
    public string? GreetingName { get; init; }

    // disposition

    public string? Disposition { get; init; }

    public string? Notes { get; init; }

    public DateTimeOffset? UpdatedAt { get; init; }

    /// <summary>The rep's after-call form, ready to queue.</summary>
    public static CallEventMessage ForDisposition(
        string orgId, string callSid, string userId, string? disposition, string? notes,
        DateTimeOffset updatedAt, DateTimeOffset receivedAt) =>
        new()
        {
            Kind = CallEventKind.Disposition,
            OrgId = orgId,
            CallSid = callSid,
            UserId = userId,
            Disposition = disposition,
            Notes = notes,
            UpdatedAt = updatedAt,
            ReceivedAt = receivedAt,
        };

    /// <summary>The rep's voicemail drop, ready to queue; <paramref name="callSid"/> is the agent leg's.</summary>
    public static CallEventMessage ForVoicemailDrop(string orgId, string callSid, string greetingId, string greetingName, DateTimeOffset at) =>
        new()
        {
            Kind = CallEventKind.VoicemailDrop,
            OrgId = orgId,
            CallSid = callSid,
            GreetingId = greetingId,
            GreetingName = greetingName,
            Timestamp = at,
            ReceivedAt = at,
        };

    /// <summary>The first field that makes this message unusable for its kind, or null when it is whole.</summary>
    public Failure? Validate()
    {
        if (string.IsNullOrEmpty(OrgId)) return Missing("orgId");
        if (string.IsNullOrEmpty(CallSid)) return Missing("callSid");
        return Kind switch
        {
            CallEventKind.CallStatus => ValidateCallStatus(),
            CallEventKind.RecordingStatus =>
                string.IsNullOrEmpty(RecordingSid) ? Missing("recordingSid")
                : RecordingStatus is null ? Missing("recordingStatus")
                : null,
            CallEventKind.Disposition =>
                string.IsNullOrEmpty(UserId) ? Missing("userId")
                : UpdatedAt is null ? Missing("updatedAt")
                : null,
            CallEventKind.Disclosure =>
                Timestamp is null ? Missing("timestamp")
                : string.IsNullOrEmpty(DisclosureKind) ? Missing("disclosureKind")
                : null,
            CallEventKind.ServerEnded =>
                Timestamp is null ? Missing("timestamp")
                : string.IsNullOrEmpty(EndReason) ? Missing("endReason")
                : null,
            CallEventKind.VoicemailDrop =>
                Timestamp is null ? Missing("timestamp")
                : string.IsNullOrEmpty(GreetingId) ? Missing("greetingId")
                : null,
            _ => Failure.Invalid("kind", $"Unknown event kind {Kind}."),
        };
    }

    private Failure? ValidateCallStatus()
    {
        if (CallStatus is null) return Missing("callStatus");
        if (SequenceNumber is null) return Missing("sequenceNumber");
        if (SequenceNumber < 0) return Failure.Invalid("sequenceNumber", "The sequence number is negative.");
        if (Timestamp is null) return Missing("timestamp");
        if (Leg is null) return Missing("leg");
        if (Leg == CallLeg.Prospect && ParentCallSid is null && AgentCallSid is null)
        {
            return Failure.Invalid("parentCallSid", "A prospect leg needs its agent leg's SID (ParentCallSid or agentCallSid).", "missing-field");
        }

        if (string.IsNullOrEmpty(UserId)) return Missing("userId");
        return Method is null ? Missing("method") : null;
    }

    private static Failure Missing(string field) =>
        Failure.Invalid(field, $"The event has no {field}.", "missing-field");
}
