using Playbooks.Calling.Activity;
using Playbooks.Calling.Orgs;

namespace Playbooks.Calling.Tests.Activity;

/// <summary>Events of one realistic call: a rep's agent leg that dials one prospect leg.</summary>
internal sealed record CallEvents(CallingMethod Method = CallingMethod.Computer, string? CrmWhoId = "00Q5e00000AbCdEAAA")
{
    public const string OrgId = "org-1";
    public const string UserId = "user-ana";
    public const string AgentSid = "CA00000000000000000000000000000a01";
    public const string ProspectSid = "CA00000000000000000000000000000b02";
    public const string RecordingSid = "RE00000000000000000000000000000c03";
    public const string ProspectNumber = "+14155550199";
    public const string CallerId = "+14155550100";

    public static readonly DateTimeOffset Start = new(2026, 11, 26, 10, 0, 0, TimeSpan.Zero);

    public CallEventMessage Status(CallStatus status, int sequence, int atSecond, int? duration = null) => new()
    {
        Kind = CallEventKind.CallStatus,
        OrgId = OrgId,
        CallSid = ProspectSid,
        ParentCallSid = AgentSid,
        Leg = CallLeg.Prospect,
        CallStatus = status,
        SequenceNumber = sequence,
        Timestamp = Start.AddSeconds(atSecond),
        ReceivedAt = Start.AddSeconds(atSecond).AddMilliseconds(150),
        CallDuration = status.IsTerminal() ? duration ?? 0 : null,
        To = ProspectNumber,
        From = CallerId,
        Direction = "outbound-dial",
        UserId = UserId,
        Method = Method,
        CrmWhoId = CrmWhoId,
    };

    public CallEventMessage AgentStatus(CallStatus status, int sequence, int atSecond) => new()
    {
        Kind = CallEventKind.CallStatus,
        OrgId = OrgId,
        CallSid = AgentSid,
        Leg = CallLeg.Agent,
        CallStatus = status,
        SequenceNumber = sequence,
        Timestamp = Start.AddSeconds(atSecond),
        ReceivedAt = Start.AddSeconds(atSecond).AddMilliseconds(120),
        CallDuration = status.IsTerminal() ? atSecond : null,
        To = Method == CallingMethod.Phone ? "+14155550111" : null,
        From = Method == CallingMethod.Phone ? CallerId : "client:user_ana",
        UserId = UserId,
        Method = Method,
    };

    public CallEventMessage Recording(RecordingStatus status, int atSecond, int? duration = null, string sid = RecordingSid) => new()
    {
        Kind = CallEventKind.RecordingStatus,
        OrgId = OrgId,
        CallSid = AgentSid,
        RecordingSid = sid,
        RecordingStatus = status,
        RecordingUrl = status == RecordingStatus.InProgress ? null : $"https://api.twilio.com/2010-04-01/Accounts/AC1/Recordings/{sid}",
        RecordingDuration = duration,
        Timestamp = Start.AddSeconds(atSecond),
        ReceivedAt = Start.AddSeconds(atSecond).AddMilliseconds(300),
        UserId = UserId,
    };

    public CallEventMessage Disposition(string disposition, string notes, int atSecond) =>
        CallEventMessage.ForDisposition(
            OrgId, AgentSid, UserId, disposition, notes, Start.AddSeconds(atSecond), Start.AddSeconds(atSecond).AddMilliseconds(40));

    public CallEventMessage Disclosure(string kind, int atSecond) => new()
    {
        Kind = CallEventKind.Disclosure,
        OrgId = OrgId,
        CallSid = AgentSid,
        ParentCallSid = AgentSid,
        DisclosureKind = kind,
        Timestamp = Start.AddSeconds(atSecond),
        ReceivedAt = Start.AddSeconds(atSecond),
    };

    /// <summary>Merges events the way the activity writer does: an event with no activity is skipped while none exists.</summary>
    public static CallActivity? MergeAll(IEnumerable<CallEventMessage> events)
    {
        CallActivity? activity = null;
        foreach (var e in events)
        {
            if (activity is null && ActivityKey.Of(e) is null) continue;
            activity = ActivityMerger.Merge(activity, e);
        }

        return activity;
    }
}
