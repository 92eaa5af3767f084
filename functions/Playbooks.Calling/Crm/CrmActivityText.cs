using System.Globalization;
using System.Text;
using Playbooks.Calling.Activity;
using Playbooks.Calling.Orgs;

namespace Playbooks.Calling.Crm;

/// <summary>
/// The words both CRMs show for an activity. Built only from <see cref="CallActivity.CrmView"/>, so every change
/// that alters them also sets the activity back to pending and reaches the CRM.
/// </summary>
public static class CrmActivityText
{
    public static string Subject(CrmFields f)
    {
        var to = string.IsNullOrEmpty(f.ProspectNumber) ? "prospect" : f.ProspectNumber;
        return f.Outcome is CallOutcome.Connected or null ? $"Call to {to}" : $"Call to {to} ({OutcomeName(f.Outcome)})";
    }

    public static string Description(string callSid, CrmFields f)
    {
        var text = new StringBuilder();
        Line(text, "Outcome", f.Outcome is { } o ? $"{OutcomeName(o)}{Seconds(f.DurationSeconds)}" : null);
        Line(text, "Voicemail", f.VoicemailGreeting is { } greeting ? $"voicemail left (greeting \"{greeting}\")" : null);
        Line(text, "Disposition", f.Disposition);
        Line(text, "Notes", f.Notes);
        // The recording's URL opens it with our Twilio account's credentials, so the CRM only learns that one exists.
        Line(text, "Recording", f.RecordingUrl is not null ? $"recorded{Seconds(f.RecordingDuration)}" : null);
        Line(text, "Placed by", f.UserId);
        Line(text, "Method", f.Method switch { CallingMethod.Computer => "computer", CallingMethod.Phone => "phone", _ => null });
        Line(text, "Caller ID", f.CallerId);
        Line(text, "Call SID", callSid);
        return text.ToString().TrimEnd();
    }

    public static string OutcomeName(CallOutcome? outcome) => outcome switch
    {
        CallOutcome.Connected => "connected",
        CallOutcome.Busy => "busy",
        CallOutcome.NoAnswer => "no answer",
        CallOutcome.Failed => "failed",
        CallOutcome.Canceled => "canceled",
        _ => "unknown",
    };

    public static string Truncate(string value, int max) => value.Length <= max ? value : value[..(max - 1)] + "…";

    private static string Seconds(int? seconds) =>
        seconds is { } s ? string.Create(CultureInfo.InvariantCulture, $" ({s} s)") : "";

    private static void Line(StringBuilder text, string label, string? value)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            text.Append(label).Append(": ").Append(value).Append('\n');
        }
    }
}
