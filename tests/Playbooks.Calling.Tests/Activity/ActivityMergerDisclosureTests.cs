using Playbooks.Calling.Activity;

namespace Playbooks.Calling.Tests.Activity;

public class ActivityMergerDisclosureTests
{
    [Fact]
    public void Merge_DisclosureWithStatusesInAnyOrderAndDuplicated_SameActivityWithEarliestTime()
    {
        // Arrange
        var call = new CallEvents();
        CallEventMessage[] events =
        [
            call.Status(CallStatus.Initiated, 0, 0), call.Status(CallStatus.InProgress, 2, 5),
            call.Disclosure("say", 6), call.Disclosure("say", 7), call.Status(CallStatus.Completed, 3, 30, 25),
        ];

        // Act
        var forward = CallEvents.MergeAll(events)!;
        var backward = CallEvents.MergeAll(events.Reverse().Append(events[2]))!;

        // Assert
        Assert.Equal(forward, backward);
        Assert.Equal((CallEvents.Start.AddSeconds(6), "say"), (forward.DisclosurePlayedAt, forward.Disclosure));
        Assert.Equal(CallOutcome.Connected, forward.Outcome);
    }
}
