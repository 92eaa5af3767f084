using System.Globalization;
using Playbooks.Calling.Orgs;

namespace Playbooks.Calling.Activity;

/// <summary>
/// Builds <see cref="CallEventMessage"/>s from Twilio's POSTed callback fields (Twilio's parameter names) and
/// the context our own callback URL carries in its query (<c>orgId</c>, <c>userId</c>, <c>method</c>,
/// <c>agentCallSid</c>, <c>crmWhoId</c>, <c>leg</c>).
/// </summary>
public static class TwilioCallbackParser
{
    public static Result<CallEventMessage> ParseStatusCallback(
        IReadOnlyDictionary<string, string> form, IReadOnlyDictionary<string, string> query, DateTimeOffset receivedAt)
    {
        if (Optional(form, "CallSid") is not { } callSid) return Missing("CallSid");
        if (Optional(query, "orgId") is not { } orgId) return Missing("orgId");
        if (Optional(query, "userId") is not { } userId) return Missing("userId");
        if (!CallingMethodNames.TryParse(Optional(query, "method"), out var method))
        {
            return Failure.Invalid("method", "The callback URL's method must be computer or phone.");
        }

        if (!CallStatusNames.TryParse(Optional(form, "CallStatus"), out CallStatus status))
        {
            return Failure.Invalid("CallStatus", $"Unknown CallStatus '{Optional(form, "CallStatus")}'.");
        }

        if (!int.TryParse(Optional(form, "SequenceNumber"), NumberStyles.None, CultureInfo.InvariantCulture, out var sequence))
        {
            return Failure.Invalid("SequenceNumber", "SequenceNumber must be a whole number from 0.");
        }

        if (!TwilioTimestamp.TryParse(Optional(form, "Timestamp"), out var timestamp))
        {
            return Failure.Invalid("Timestamp", "Timestamp must be an RFC 2822 date.");
        }

        if (!TryParseSeconds(form, "CallDuration", out var duration)) return NotSeconds("CallDuration");

        var parentCallSid = Optional(form, "ParentCallSid");
        var message = new CallEventMessage
        {
            Kind = CallEventKind.CallStatus,
            OrgId = orgId,
            CallSid = callSid,
            ReceivedAt = receivedAt,
            Timestamp = timestamp,
            Leg = LegOf(parentCallSid, Optional(query, "leg")),
            ParentCallSid = parentCallSid,
            CallStatus = status,
            SequenceNumber = sequence,
            CallDuration = status.IsTerminal() ? duration : null,
            To = Optional(form, "To"),
            From = Optional(form, "From"),
            Direction = Optional(form, "Direction"),
            UserId = userId,
            Method = method,
            AgentCallSid = Optional(query, "agentCallSid"),
            CrmWhoId = Optional(query, "crmWhoId"),
            CallerIdTier = Optional(query, "callerIdTier") is { } tier && Calls.CallerIdChoice.Tiers.Contains(tier) ? tier : null,
        };
        return message.Validate() is { } failure ? failure : message;
    }

    public static Result<CallEventMessage> ParseRecordingCallback(
        IReadOnlyDictionary<string, string> form, IReadOnlyDictionary<string, string> query, DateTimeOffset receivedAt)
    {
        if (Optional(form, "CallSid") is not { } callSid) return Missing("CallSid");
        if (Optional(query, "orgId") is not { } orgId) return Missing("orgId");
        if (Optional(form, "RecordingSid") is not { } recordingSid) return Missing("RecordingSid");
        if (!CallStatusNames.TryParse(Optional(form, "RecordingStatus"), out RecordingStatus status))
        {
            return Failure.Invalid("RecordingStatus", $"Unknown RecordingStatus '{Optional(form, "RecordingStatus")}'.");
        }

        if (!TryParseSeconds(form, "RecordingDuration", out var duration)) return NotSeconds("RecordingDuration");

        var stamp = Optional(form, "Timestamp") ?? Optional(form, "RecordingStartTime");
        DateTimeOffset? timestamp = null;
        if (stamp is not null)
        {
            if (!TwilioTimestamp.TryParse(stamp, out var parsed))
            {
                return Failure.Invalid("Timestamp", "Timestamp must be an RFC 2822 date.");
            }

            timestamp = parsed;
        }

        CallingMethod? method = CallingMethodNames.TryParse(Optional(query, "method"), out var m) ? m : null;
        return new CallEventMessage
        {
            Kind = CallEventKind.RecordingStatus,
            OrgId = orgId,
            CallSid = callSid,
            ReceivedAt = receivedAt,
            Timestamp = timestamp,
            RecordingSid = recordingSid,
            RecordingUrl = Optional(form, "RecordingUrl"),
            RecordingStatus = status,
            RecordingDuration = duration,
            UserId = Optional(query, "userId"),
            Method = method,
        };
    }

    // Both calling methods make the prospect the child of the agent leg, so a callback without a parent is the agent's.
    private static CallLeg LegOf(string? parentCallSid, string? legHint) =>
        legHint == "agent" || parentCallSid is null ? CallLeg.Agent : CallLeg.Prospect;

    private static string? Optional(IReadOnlyDictionary<string, string> fields, string name) =>
        fields.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

    // Twilio sends -1 or nothing while a duration is unknown.
    private static bool TryParseSeconds(IReadOnlyDictionary<string, string> form, string name, out int? seconds)
    {
        seconds = null;
        if (Optional(form, name) is not { } text) return true;
        if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)) return false;
        seconds = value >= 0 ? value : null;
        return true;
    }

    private static Failure Missing(string field) =>
        Failure.Invalid(field, $"The callback has no {field}.", "missing-field");

    private static Failure NotSeconds(string field) =>
        Failure.Invalid(field, $"{field} must be a whole number of seconds.");
}
