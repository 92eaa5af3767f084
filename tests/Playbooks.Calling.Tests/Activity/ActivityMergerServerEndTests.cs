using Playbooks.Calling.Activity;
using Playbooks.Calling.Calls;

namespace Playbooks.Calling.Tests.Activity;

public class ActivityMergerServerEndTests
{
    private static CallEventMessage ServerEnded(CallEvents _, string reason, int atSecond) => new()
    {
        Kind = CallEventKind.ServerEnded,
        OrgId = CallEvents.OrgId,
        CallSid = CallEvents.AgentSid,
        EndReason = reason,
        Timestamp = CallEvents.Start.AddSeconds(atSecond),
        ReceivedAt = CallEvents.Start.AddSeconds(atSecond),
    };

    [Fact]
    public void Merge_ServerEndWithStatusesInAnyOrderAndDuplicated_SameActivityWithEarliestEnd()
    {
        // Arrange
        var call = new CallEvents();
        CallEventMessage[] events =
        [
            call.Status(CallStatus.Initiated, 0, 0), call.Status(CallStatus.InProgress, 2, 5),
            ServerEnded(call, ServerEndReasons.CallTooLong, 7200), ServerEnded(call, ServerEndReasons.CallTooLong, 7260),
            call.Status(CallStatus.Completed, 3, 7201, 7196),
        ];

        // Act
        var forward = CallEvents.MergeAll(events)!;
        var backward = CallEvents.MergeAll(events.Reverse().Append(events[2]))!;

        // Assert
        Assert.Equal(forward, backward);
        Assert.Equal((CallEvents.Start.AddSeconds(7200), ServerEndReasons.CallTooLong), (forward.ServerEndedAt, forward.ServerEndReason));
        Assert.Equal(CallOutcome.Connected, forward.Outcome);
    }

    [Fact]
    public void Validate_ServerEndWithoutReason_NamesTheField()
    {
        // Arrange
        var message = ServerEnded(new CallEvents(), "", 1);

        // Act
        var failure = message.Validate();

        // Assert
        Assert.Equal("endReason", failure?.Field);
    }
}
