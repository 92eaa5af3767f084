using Playbooks.Calling.Activity;
using Playbooks.Calling.Crm;

namespace Playbooks.Calling.Tests.Activity;

public class ActivityMergerVoicemailTests
{
    private const string GreetingId = "0123456789abcdef0123456789abcdef";

    private static CallEventMessage Drop(int atSecond, string greetingId = GreetingId, string name = "Intro") =>
        CallEventMessage.ForVoicemailDrop(CallEvents.OrgId, CallEvents.AgentSid, greetingId, name, CallEvents.Start.AddSeconds(atSecond));

    [Fact]
    public void Merge_DropWithStatusesInAnyOrderAndDuplicated_SameActivitySayingVoicemailLeft()
    {
        // Arrange
        var call = new CallEvents();
        CallEventMessage[] events =
        [
            call.Status(CallStatus.Initiated, 0, 0), call.Status(CallStatus.InProgress, 2, 5),
            Drop(12), Drop(12), call.Status(CallStatus.Completed, 3, 20, 15),
        ];

        // Act
        var forward = CallEvents.MergeAll(events)!;
        var backward = CallEvents.MergeAll(events.Reverse())!;

        // Assert
        Assert.Equal(forward, backward);
        Assert.Equal((CallEvents.Start.AddSeconds(12), GreetingId, "Intro"), (forward.VoicemailLeftAt, forward.VoicemailGreetingId, forward.VoicemailGreetingName));
        Assert.Contains("Voicemail: voicemail left (greeting \"Intro\")", CrmActivityText.Description(CallEvents.AgentSid, forward.CrmView));
    }

    [Fact]
    public void Merge_TwoDrops_TheEarliestWinsWithItsOwnName()
    {
        var call = new CallEvents();
        var later = Drop(30, "ffffffffffffffffffffffffffffffff", "Later");

        var one = CallEvents.MergeAll([call.Status(CallStatus.InProgress, 2, 5), later, Drop(12)])!;
        var other = CallEvents.MergeAll([Drop(12), call.Status(CallStatus.InProgress, 2, 5), later])!;

        Assert.Equal(one, other);
        Assert.Equal("Intro", one.VoicemailGreetingName);
    }

    [Fact]
    public void Merge_DropAfterTheActivityWasSynced_SetsItBackToPendingForTheCrm()
    {
        var call = new CallEvents();
        var synced = CallEvents.MergeAll([call.Status(CallStatus.Completed, 3, 20, 15)])!.MarkCrmSynced();

        var merged = ActivityMerger.Merge(synced, Drop(12));

        Assert.Equal(CrmSyncState.Pending, merged.CrmSync);
    }

    [Fact]
    public void Validate_DropWithoutGreeting_IsMissingGreetingId()
    {
        var failure = (Drop(1) with { GreetingId = null }).Validate();

        Assert.Equal("greetingId", failure?.Field);
    }
}
