using CsCheck;
using Playbooks.Calling.Activity;
using Playbooks.Calling.Orgs;

namespace Playbooks.Calling.Tests.Activity;

/// <summary>Random but realistic event histories of one call, in the order Twilio and the rep produce them.</summary>
internal static class CallHistoryGen
{
    private static readonly CallStatus[] Endings =
        [CallStatus.Completed, CallStatus.Busy, CallStatus.NoAnswer, CallStatus.Failed, CallStatus.Canceled];

    private static readonly string[] Dispositions = ["Connected", "Left voicemail", "Wrong number", "Meeting booked"];

    private static readonly string[] Notes = ["", "Call back Tuesday", "Asked for pricing", "Gatekeeper; try the mobile"];

    public static readonly Gen<CallEventMessage[]> History =
        from method in Gen.OneOf(CallingMethod.Computer, CallingMethod.Phone)
        from crmWhoId in Gen.OneOf<string?>(null, "00Q5e00000AbCdEAAA", "0035e00000XyZaBAAV")
        from ending in Gen.OneOf(Endings)
        from queued in Gen.Bool
        from ringing in Gen.Bool
        from gaps in Gen.Int[1, 25].Array[5]
        from talkSeconds in Gen.Int[1, 900]
        from strayTerminal in Gen.Frequency((8, Gen.Const(new CallStatus?())), (2, Gen.OneOf<CallStatus?>(Endings.Cast<CallStatus?>().ToArray())))
        from strayOffset in Gen.Int[0, 1]
        from agentLeg in Gen.Bool
        from recording in Gen.OneOf<RecordingStatus?>(null, RecordingStatus.Completed, RecordingStatus.Absent, RecordingStatus.Failed)
        from recordingStarted in Gen.Bool
        from edits in Gen.Select(Gen.Int[0, 3], Gen.OneOf(Dispositions), Gen.OneOf(Notes)).Array[0, 3]
        select Build(new CallEvents(method, crmWhoId), ending, queued, ringing, gaps, talkSeconds,
            strayTerminal, strayOffset, agentLeg, recording, recordingStarted, edits);

    /// <summary>Every event at least once and up to three times (a replay may carry a later ReceivedAt), shuffled.</summary>
    public static Gen<CallEventMessage[]> Delivery(CallEventMessage[] history) =>
        from copies in Gen.Int[1, 3].Array[history.Length]
        from shuffled in Gen.Shuffle(history
            .SelectMany((e, i) => Enumerable.Range(0, copies[i])
                .Select(copy => e with { ReceivedAt = e.ReceivedAt.AddSeconds(copy * 7) }))
            .ToArray())
        select shuffled;

    private static CallEventMessage[] Build(
        CallEvents call, CallStatus ending, bool queued, bool ringing, int[] gaps, int talkSeconds,
        CallStatus? strayTerminal, int strayOffset, bool agentLeg, RecordingStatus? recording, bool recordingStarted,
        (int Minute, string Disposition, string Notes)[] edits)
    {
        var events = new List<CallEventMessage>();
        var sequence = 0;
        var second = 0;
        if (queued) events.Add(call.Status(CallStatus.Queued, sequence++, second));
        events.Add(call.Status(CallStatus.Initiated, sequence++, second += gaps[0]));
        if (ringing || ending is CallStatus.Completed or CallStatus.NoAnswer)
        {
            events.Add(call.Status(CallStatus.Ringing, sequence++, second += gaps[1]));
        }

        var answered = ending == CallStatus.Completed;
        if (answered) events.Add(call.Status(CallStatus.InProgress, sequence++, second += gaps[2]));
        var talk = answered ? talkSeconds : 0;
        var terminalSequence = sequence++;
        events.Add(call.Status(ending, terminalSequence, second += talk + gaps[3], talk));
        if (strayTerminal is { } stray)
        {
            events.Add(call.Status(stray, terminalSequence + strayOffset, second + gaps[4], talk + strayOffset));
        }

        if (agentLeg)
        {
            events.Add(call.AgentStatus(CallStatus.Initiated, 0, 0));
            events.Add(call.AgentStatus(CallStatus.InProgress, 1, 1));
            events.Add(call.AgentStatus(CallStatus.Completed, 2, second + 1));
        }

        if (answered && recording is { } finalRecording)
        {
            if (recordingStarted) events.Add(call.Recording(RecordingStatus.InProgress, second - talk));
            events.Add(call.Recording(finalRecording, second + 2, finalRecording == RecordingStatus.Completed ? talk : null));
        }

        foreach (var edit in edits)
        {
            events.Add(call.Disposition(edit.Disposition, edit.Notes, second + 60 * (edit.Minute + 1)));
        }

        return [.. events];
    }
}
