using System.Text.Json.Serialization;

namespace Playbooks.Calling.Activity;

/// <summary>What a <see cref="CallEventMessage"/> reports.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CallEventKind>))]
public enum CallEventKind
{
    [JsonStringEnumMemberName("call-status")] CallStatus,
    [JsonStringEnumMemberName("recording-status")] RecordingStatus,
    [JsonStringEnumMemberName("disposition")] Disposition,

    /// <summary>The recording disclosure played to the prospect before the legs were bridged.</summary>
    [JsonStringEnumMemberName("disclosure")] Disclosure,

    /// <summary>Our server hung the call up (a call left open too long, or with no rep on it).</summary>
    [JsonStringEnumMemberName("server-ended")] ServerEnded,
    /// <summary>The rep left one of their greetings on the prospect's voicemail.</summary>
    [JsonStringEnumMemberName("voicemail-drop")] VoicemailDrop,
}

/// <summary>Twilio's <c>CallStatus</c> values, in the order a call moves through them.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CallStatus>))]
public enum CallStatus
{
    [JsonStringEnumMemberName("queued")] Queued,
    [JsonStringEnumMemberName("initiated")] Initiated,
    [JsonStringEnumMemberName("ringing")] Ringing,
    [JsonStringEnumMemberName("in-progress")] InProgress,
    [JsonStringEnumMemberName("completed")] Completed,
    [JsonStringEnumMemberName("busy")] Busy,
    [JsonStringEnumMemberName("no-answer")] NoAnswer,
    [JsonStringEnumMemberName("failed")] Failed,
    [JsonStringEnumMemberName("canceled")] Canceled,
}

/// <summary>Twilio's <c>RecordingStatus</c> values.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RecordingStatus>))]
public enum RecordingStatus
{
    [JsonStringEnumMemberName("in-progress")] InProgress,
    [JsonStringEnumMemberName("completed")] Completed,
    [JsonStringEnumMemberName("absent")] Absent,
    [JsonStringEnumMemberName("failed")] Failed,
}

/// <summary>Which leg of a two-leg call a status callback describes.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CallLeg>))]
public enum CallLeg
{
    /// <summary>The child leg to the prospect's number (it carries <c>ParentCallSid</c>).</summary>
    [JsonStringEnumMemberName("prospect")] Prospect,

    /// <summary>The parent leg: the rep's browser, or the rep's phone called over REST.</summary>
    [JsonStringEnumMemberName("agent")] Agent,
}

/// <summary>How a finished prospect leg ended, as the CRM shows it.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CallOutcome>))]
public enum CallOutcome
{
    [JsonStringEnumMemberName("connected")] Connected,
    [JsonStringEnumMemberName("busy")] Busy,
    [JsonStringEnumMemberName("no-answer")] NoAnswer,
    [JsonStringEnumMemberName("failed")] Failed,
    [JsonStringEnumMemberName("canceled")] Canceled,
}

/// <summary>Where the activity stands with the org's CRM.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CrmSyncState>))]
public enum CrmSyncState
{
    [JsonStringEnumMemberName("pending")] Pending,
    [JsonStringEnumMemberName("synced")] Synced,
    [JsonStringEnumMemberName("sync-failed")] SyncFailed,
}

public static class CallStatusNames
{
    private static readonly Dictionary<string, CallStatus> CallStatuses = new(StringComparer.Ordinal)
    {
        ["queued"] = CallStatus.Queued,
        ["initiated"] = CallStatus.Initiated,
        ["ringing"] = CallStatus.Ringing,
        ["in-progress"] = CallStatus.InProgress,
        ["completed"] = CallStatus.Completed,
        ["busy"] = CallStatus.Busy,
        ["no-answer"] = CallStatus.NoAnswer,
        ["failed"] = CallStatus.Failed,
        ["canceled"] = CallStatus.Canceled,
    };

    private static readonly Dictionary<string, RecordingStatus> RecordingStatuses = new(StringComparer.Ordinal)
    {
        ["in-progress"] = RecordingStatus.InProgress,
        ["completed"] = RecordingStatus.Completed,
        ["absent"] = RecordingStatus.Absent,
        ["failed"] = RecordingStatus.Failed,
    };

    public static bool TryParse(string? value, out CallStatus status) =>
        CallStatuses.TryGetValue(value ?? "", out status);

    public static bool TryParse(string? value, out RecordingStatus status) =>
        RecordingStatuses.TryGetValue(value ?? "", out status);

    public static string ToWire(this CallStatus status) => CallStatuses.First(p => p.Value == status).Key;

    public static string ToWire(this RecordingStatus status) => RecordingStatuses.First(p => p.Value == status).Key;

    public static bool IsTerminal(this CallStatus status) => status >= CallStatus.Completed;
}
