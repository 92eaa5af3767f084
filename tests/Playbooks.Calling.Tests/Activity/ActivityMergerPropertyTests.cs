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
    public void MergeAll_AnySplitIntoBatchesOfManyCalls_EachActivityEqualsInOrderMerge()
    {
        // Several calls' deliveries interleaved, cut into batches anywhere; each batch merged the way the writer does it:
        // grouped by activity, one MergeAll per group onto what was stored.
        var gen = from histories in CallHistoryGen.History.Array[1, 4]
                  let calls = histories.Select((h, n) => Rekeyed.Call(h, CallEvents.OrgId, n + 1)).ToArray()
                  from interleaved in CallHistoryGen.Delivery(calls.SelectMany(c => c).ToArray())
                  from cuts in Gen.Int[1, 12].Array[1, 40]
                  select (calls, interleaved, cuts);

        gen.Sample(
            (CallEventMessage[][] calls, CallEventMessage[] interleaved, int[] cuts) =>
            {
                var stored = new Dictionary<ActivityKey, CallActivity>();
                foreach (var batch in Batches(interleaved, cuts))
                {
                    foreach (var group in batch.GroupBy(CallEventGroup.Of).Where(g => !g.Key.AgentLeg))
                    {
                        var key = new ActivityKey(group.Key.OrgId, group.Key.CallSid);
                        stored[key] = ActivityMerger.MergeAll(stored.GetValueOrDefault(key), group)!;
                    }
                }

                foreach (var history in calls)
                {
                    var expected = CallEvents.MergeAll(history)!;
                    Assert.Equal(expected, stored[expected.Key]);
                }

                Assert.Equal(calls.Length, stored.Count);
            },
            iter: 300);
    }

    [Fact]
    public void MergeAll_SameBatchTwice_SameAsOnce()
    {
        Gen.Select(CallHistoryGen.History, Gen.Int[0, 1_000]).Sample(
            (history, seed) =>
            {
                var once = ActivityMerger.MergeAll(null, history);
                Assert.Equal(once, ActivityMerger.MergeAll(once, history));
                Assert.Equal(once, ActivityMerger.MergeAll(once, history.OrderBy(e => HashCode.Combine(seed, e.GetHashCode()))));
            },
            iter: 300);
    }

    [Fact]
    public void MergeAll_OnlyAgentLegStatuses_MakesNoActivity()
    {
        var call = new CallEvents();
        Assert.Null(ActivityMerger.MergeAll(null, [call.AgentStatus(CallStatus.Initiated, 0, 0), call.AgentStatus(CallStatus.Completed, 2, 30)]));
    }

    private static IEnumerable<CallEventMessage[]> Batches(CallEventMessage[] events, int[] cuts)
    {
        var at = 0;
        for (var i = 0; at < events.Length; i++)
        {
            var size = cuts[i % cuts.Length];
            yield return events[at..Math.Min(events.Length, at + size)];
            at += size;
        }
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
