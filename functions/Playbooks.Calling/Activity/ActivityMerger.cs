namespace Playbooks.Calling.Activity;

/// <summary>
/// Folds a call's events into its <see cref="CallActivity"/>. Every field is merged with its own join (a maximum
/// in a fixed total order, or the earliest/latest value), so the merge is commutative, associative and idempotent:
/// any order and any number of duplicates of the same events give an equal activity.
/// </summary>
/// <remarks>
/// Status: ranked queued &lt; initiated &lt; ringing &lt; in-progress &lt; terminal, so it never moves backwards.
/// Two different terminal statuses (Twilio sends one, but a replayed or misrouted event may add another) are
/// decided by the higher sequence number, then completed &gt; busy &gt; no-answer &gt; canceled &gt; failed.
/// Times: the earliest timestamp of each milestone (initiated from queued/initiated, answered from in-progress,
/// ended from any terminal event); duration is the largest terminal CallDuration.
/// Recording: in-progress &lt; failed &lt; absent &lt; completed, then the longer duration, then SID and URL.
/// Disclosure: the earliest time it played, and the ordinally least kind ("play" &lt; "say").
/// Server end: the earliest time our server hung the call up, and the ordinally least reason.
/// Voicemail drop: the earliest drop, then the least greeting id, with that drop's greeting name.
/// Disposition: the latest updatedAt wins, then the ordinally greater disposition, notes and editor.
/// CRM sync state is written by the CRM step, not by events; the one rule here: when an event changes a field the
/// CRM shows (<see cref="CallActivity.CrmView"/>) of an activity that is synced or sync-failed, it is pending again
/// with its attempts reset. It never changes a pending activity, so folding events alone stays order-independent.
/// </remarks>
public static class ActivityMerger
{
    /// <summary>
    /// Merges one event into the current activity (null when none is stored yet). Use <see cref="ActivityKey.Of"/>
    /// first: an agent leg's own status has no activity, leaves an existing one as it is, and cannot create one.
    /// </summary>
    public static CallActivity Merge(CallActivity? current, CallEventMessage e)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (ActivityKey.Of(e) is not { } key)
        {
            return current ?? throw new ArgumentException("An agent leg's status creates no activity.", nameof(e));
        }

        if (current is not null && current.Key != key)
        {
            throw new ArgumentException($"The event belongs to {key}, not to {current.Key}.", nameof(e));
        }

        var start = current ?? CallActivity.Empty(key);
        var merged = e.Kind switch
        {
            CallEventKind.CallStatus => MergeStatus(start, e),
            CallEventKind.RecordingStatus => MergeRecording(start, e),
            CallEventKind.Disposition => MergeDisposition(start, e),
            CallEventKind.Disclosure => start with
            {
                DisclosurePlayedAt = Earliest(start.DisclosurePlayedAt, e.Timestamp!.Value.ToUniversalTime()),
                Disclosure = Least(start.Disclosure, e.DisclosureKind),
            },
            CallEventKind.ServerEnded => start with
            {
                ServerEndedAt = Earliest(start.ServerEndedAt, e.Timestamp!.Value.ToUniversalTime()),
                ServerEndReason = Least(start.ServerEndReason, e.EndReason),
            },
            CallEventKind.VoicemailDrop => MergeVoicemail(start, e),
            _ => throw new ArgumentOutOfRangeException(nameof(e), e.Kind, "Unknown event kind."),
        };
        return start.CrmSync != CrmSyncState.Pending && merged.CrmView != start.CrmView
            ? merged with { CrmSync = CrmSyncState.Pending, CrmSyncMessage = null, CrmSyncAttempts = 0 }
            : merged;
    }

    /// <summary>
    /// Folds several events of one activity into <paramref name="current"/> (null when none is stored yet): the
    /// activity writer's one write for all of a batch's events of that activity. Any split of the events into batches,
    /// in any order, gives the same activity as merging them one by one. Null only when nothing is stored and every
    /// event is an agent leg's own status.
    /// </summary>
    public static CallActivity? MergeAll(CallActivity? current, IEnumerable<CallEventMessage> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        foreach (var e in events)
        {
            if (current is null && ActivityKey.Of(e) is null) continue;
            current = Merge(current, e);
        }

        return current;
    }

    private static CallActivity MergeStatus(CallActivity a, CallEventMessage e)
    {
        var status = e.CallStatus!.Value;
        var sequence = e.SequenceNumber!.Value;
        var at = e.Timestamp!.Value.ToUniversalTime();
        var statusWins = a.Status is not { } held
            || CompareStatus(status, sequence, held, a.StatusSequenceNumber ?? -1) > 0;
        return a with
        {
            ProspectCallSid = Least(a.ProspectCallSid, e.CallSid),
            UserId = Least(a.UserId, e.UserId),
            Method = a.Method is { } m && e.Method is { } n ? (m <= n ? m : n) : a.Method ?? e.Method,
            ProspectNumber = Least(a.ProspectNumber, e.To),
            CallerId = Least(a.CallerId, e.From),
            CallerIdTier = Least(a.CallerIdTier, e.CallerIdTier),
            CrmWhoId = Least(a.CrmWhoId, e.CrmWhoId),
            Status = statusWins ? status : a.Status,
            StatusSequenceNumber = statusWins ? sequence : a.StatusSequenceNumber,
            InitiatedAt = status is CallStatus.Queued or CallStatus.Initiated ? Earliest(a.InitiatedAt, at) : a.InitiatedAt,
            RingingAt = status == CallStatus.Ringing ? Earliest(a.RingingAt, at) : a.RingingAt,
            AnsweredAt = status == CallStatus.InProgress ? Earliest(a.AnsweredAt, at) : a.AnsweredAt,
            EndedAt = status.IsTerminal() ? Earliest(a.EndedAt, at) : a.EndedAt,
            DurationSeconds = status.IsTerminal() ? Largest(a.DurationSeconds, e.CallDuration) : a.DurationSeconds,
        };
    }

    private static CallActivity MergeRecording(CallActivity a, CallEventMessage e)
    {
        var wins = a.RecordingStatus is not { } held
            || CompareRecording(e.RecordingStatus!.Value, e.RecordingDuration, e.RecordingSid, e.RecordingUrl,
                held, a.RecordingDuration, a.RecordingSid, a.RecordingUrl) > 0;
        return wins
            ? a with
            {
                RecordingSid = e.RecordingSid,
                RecordingUrl = e.RecordingUrl,
                RecordingDuration = e.RecordingDuration,
                RecordingStatus = e.RecordingStatus,
            }
            : a;
    }

    /// <summary>The earliest drop wins (then the ordinally least greeting id), its id and name together.</summary>
    private static CallActivity MergeVoicemail(CallActivity a, CallEventMessage e)
    {
        var at = e.Timestamp!.Value.ToUniversalTime();
        var wins = a.VoicemailLeftAt is not { } held
            || at < held
            || (at == held && string.CompareOrdinal(e.GreetingId, a.VoicemailGreetingId) < 0);
        return wins ? a with { VoicemailLeftAt = at, VoicemailGreetingId = e.GreetingId, VoicemailGreetingName = e.GreetingName } : a;
    }

    private static CallActivity MergeDisposition(CallActivity a, CallEventMessage e)
    {
        var updatedAt = e.UpdatedAt!.Value.ToUniversalTime();
        var wins = a.DispositionUpdatedAt is not { } held
            || CompareDisposition(updatedAt, e.Disposition, e.Notes, e.UserId,
                held, a.Disposition, a.Notes, a.DispositionUserId) > 0;
        return wins
            ? a with
            {
                Disposition = e.Disposition,
                Notes = e.Notes,
                DispositionUpdatedAt = updatedAt,
                DispositionUserId = e.UserId,
            }
            : a;
    }

    private static int CompareStatus(CallStatus s, int sequence, CallStatus t, int otherSequence)
    {
        var byRank = Rank(s).CompareTo(Rank(t));
        if (byRank != 0) return byRank;
        var bySequence = sequence.CompareTo(otherSequence);
        return bySequence != 0 ? bySequence : TerminalPreference(s).CompareTo(TerminalPreference(t));
    }

    private static int Rank(CallStatus s) => s.IsTerminal() ? 4 : (int)s;

    private static int TerminalPreference(CallStatus s) => s switch
    {
        CallStatus.Completed => 4,
        CallStatus.Busy => 3,
        CallStatus.NoAnswer => 2,
        CallStatus.Canceled => 1,
        _ => 0,
    };

    private static int CompareRecording(
        RecordingStatus s, int? duration, string? sid, string? url,
        RecordingStatus t, int? otherDuration, string? otherSid, string? otherUrl)
    {
        var c = RecordingRank(s).CompareTo(RecordingRank(t));
        if (c == 0) c = (duration ?? -1).CompareTo(otherDuration ?? -1);
        if (c == 0) c = string.CompareOrdinal(sid, otherSid);
        return c != 0 ? c : string.CompareOrdinal(url, otherUrl);
    }

    private static int RecordingRank(RecordingStatus s) => s switch
    {
        RecordingStatus.InProgress => 0,
        RecordingStatus.Failed => 1,
        RecordingStatus.Absent => 2,
        _ => 3,
    };

    private static int CompareDisposition(
        DateTimeOffset at, string? disposition, string? notes, string? userId,
        DateTimeOffset otherAt, string? otherDisposition, string? otherNotes, string? otherUserId)
    {
        var c = at.CompareTo(otherAt);
        if (c == 0) c = string.CompareOrdinal(disposition, otherDisposition);
        if (c == 0) c = string.CompareOrdinal(notes, otherNotes);
        return c != 0 ? c : string.CompareOrdinal(userId, otherUserId);
    }

    // Values every event of a leg should agree on; the ordinal least keeps the merge deterministic if they don't.
    private static string? Least(string? a, string? b) =>
        a is null ? b : b is null ? a : string.CompareOrdinal(a, b) <= 0 ? a : b;

    private static DateTimeOffset? Earliest(DateTimeOffset? a, DateTimeOffset b) => a is { } x && x <= b ? x : b;

    private static int? Largest(int? a, int? b) => a is null ? b : b is null ? a : Math.Max(a.Value, b.Value);
}
