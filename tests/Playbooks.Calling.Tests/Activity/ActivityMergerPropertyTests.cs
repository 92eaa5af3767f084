using CsCheck;
using Playbooks.Calling.Activity;

namespace Playbooks.Calling.Tests.Activity;

public class ActivityMergerPropertyTests
{
    private const int Histories = 40;
    private const int DeliveriesPerHistory = 1_000;

    [Fact]
    public void Merge_AnyPermutationWithDuplicates_EqualsInOrderMerge()
    {
        var gen = from history in CallHistoryGen.History
                  from deliveries in CallHistoryGen.Delivery(history).Array[DeliveriesPerHistory]
                  select (history, deliveries);

        gen.Sample(
            (CallEventMessage[] history, CallEventMessage[][] deliveries) =>
            {
                var inOrder = CallEvents.MergeAll(history);
                Assert.NotNull(inOrder);
                foreach (var delivery in deliveries)
                {
                    Assert.Equal(inOrder, CallEvents.MergeAll(delivery));
                }
            },
            iter: Histories,
            print: t => string.Join(Environment.NewLine, t.Item1.Select(Describe)));
    }

    [Fact]
    public void Merge_SameEventTwice_SameAsOnce()
    {
        CallHistoryGen.History.Sample(
            history =>
            {
                CallActivity? activity = null;
                foreach (var e in history.Where(e => ActivityKey.Of(e) is not null))
                {
                    var once = ActivityMerger.Merge(activity, e);
                    Assert.Equal(once, ActivityMerger.Merge(once, e));
                    Assert.Equal(once, ActivityMerger.Merge(once, e with { ReceivedAt = e.ReceivedAt.AddMinutes(5) }));
                    activity = once;
                }
            },
            iter: 500,
            print: h => string.Join(Environment.NewLine, h.Select(Describe)));
    }

    [Fact]
    public void Merge_NonTerminalAfterTerminal_KeepsTerminalStatus()
    {
        var late = Gen.Select(
            Gen.OneOf(CallStatus.Queued, CallStatus.Initiated, CallStatus.Ringing, CallStatus.InProgress),
            Gen.Int[0, 100],
            Gen.Int[-30, 3_600]);

        Gen.Select(CallHistoryGen.History, late.Array[1, 5]).Sample(
            (history, lateEvents) =>
            {
                var ended = CallEvents.MergeAll(history)!;
                var call = new CallEvents(ended.Method!.Value, ended.CrmWhoId);
                var after = lateEvents.Aggregate(ended, (a, l) => ActivityMerger.Merge(a, call.Status(l.Item1, l.Item2, l.Item3)));

                Assert.True(ended.Status!.Value.IsTerminal());
                Assert.Equal(ended.Status, after.Status);
                Assert.Equal(ended.Outcome, after.Outcome);
                Assert.Equal(ended.EndedAt, after.EndedAt);
            },
            iter: 500);
    }

    private static string Describe(CallEventMessage e) => e.Kind switch
    {
        CallEventKind.CallStatus => $"{e.Leg} {e.CallStatus} #{e.SequenceNumber} {e.Timestamp:HH:mm:ss} dur={e.CallDuration}",
        CallEventKind.RecordingStatus => $"recording {e.RecordingStatus} dur={e.RecordingDuration}",
        _ => $"disposition '{e.Disposition}' '{e.Notes}' {e.UpdatedAt:HH:mm:ss}",
    };
}
