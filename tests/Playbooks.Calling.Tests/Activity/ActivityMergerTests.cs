using Playbooks.Calling.Activity;
using Playbooks.Calling.Orgs;

namespace Playbooks.Calling.Tests.Activity;

public class ActivityMergerTests
{
    private readonly CallEvents _call = new();

    private static DateTimeOffset At(int second) => CallEvents.Start.AddSeconds(second);

    [Fact]
    public void Merge_AnsweredAndCompleted_ConnectedWithTimesAndDuration()
    {
        // Arrange
        CallEventMessage[] events =
        [
            _call.Status(CallStatus.Initiated, 0, 0),
            _call.Status(CallStatus.Ringing, 1, 2),
            _call.Status(CallStatus.InProgress, 2, 9),
            _call.Status(CallStatus.Completed, 3, 51, 42),
        ];

        // Act
        var activity = CallEvents.MergeAll(events)!;

        // Assert
        Assert.Equal(new ActivityKey(CallEvents.OrgId, CallEvents.AgentSid), activity.Key);
        Assert.Equal(CallEvents.ProspectSid, activity.ProspectCallSid);
        Assert.Equal(CallEvents.UserId, activity.UserId);
        Assert.Equal(CallingMethod.Computer, activity.Method);
        Assert.Equal(CallEvents.ProspectNumber, activity.ProspectNumber);
        Assert.Equal(CallEvents.CallerId, activity.CallerId);
        Assert.Equal("00Q5e00000AbCdEAAA", activity.CrmWhoId);
        Assert.Equal(CallStatus.Completed, activity.Status);
        Assert.Equal(CallOutcome.Connected, activity.Outcome);
        Assert.Equal(At(0), activity.InitiatedAt);
        Assert.Equal(At(2), activity.RingingAt);
        Assert.Equal(At(9), activity.AnsweredAt);
        Assert.Equal(At(51), activity.EndedAt);
        Assert.Equal(42, activity.DurationSeconds);
        Assert.Equal(CrmSyncState.Pending, activity.CrmSync);
    }

    [Theory]
    [InlineData(CallStatus.Busy, CallOutcome.Busy)]
    [InlineData(CallStatus.NoAnswer, CallOutcome.NoAnswer)]
    [InlineData(CallStatus.Canceled, CallOutcome.Canceled)]
    [InlineData(CallStatus.Failed, CallOutcome.Failed)]
    public void Merge_UnansweredEnding_OutcomeWithoutAnswerTime(CallStatus ending, CallOutcome outcome)
    {
        // Arrange
        CallEventMessage[] events =
        [
            _call.Status(CallStatus.Initiated, 0, 0),
            _call.Status(CallStatus.Ringing, 1, 2),
            _call.Status(ending, 2, 25, 0),
        ];

        // Act
        var activity = CallEvents.MergeAll(events)!;

        // Assert
        Assert.Equal(ending, activity.Status);
        Assert.Equal(outcome, activity.Outcome);
        Assert.Null(activity.AnsweredAt);
        Assert.Equal(At(25), activity.EndedAt);
        Assert.Equal(0, activity.DurationSeconds);
    }

    [Fact]
    public void Merge_CompletedWithoutInProgressCallback_StillConnected()
    {
        // Act
        var activity = CallEvents.MergeAll([_call.Status(CallStatus.Initiated, 0, 0), _call.Status(CallStatus.Completed, 3, 40, 30)])!;

        // Assert
        Assert.Equal(CallOutcome.Connected, activity.Outcome);
        Assert.Null(activity.AnsweredAt);
        Assert.Equal(30, activity.DurationSeconds);
    }

    [Fact]
    public void Merge_StillRinging_NoOutcomeYet()
    {
        // Act
        var activity = CallEvents.MergeAll([_call.Status(CallStatus.Ringing, 1, 2), _call.Status(CallStatus.Initiated, 0, 0)])!;

        // Assert
        Assert.Equal(CallStatus.Ringing, activity.Status);
        Assert.Null(activity.Outcome);
        Assert.Null(activity.EndedAt);
        Assert.Equal(At(0), activity.InitiatedAt);
    }

    [Fact]
    public void Merge_RingingArrivesAfterCompleted_StatusStaysCompleted()
    {
        // Arrange
        var completed = CallEvents.MergeAll([_call.Status(CallStatus.InProgress, 2, 9), _call.Status(CallStatus.Completed, 3, 51, 42)])!;

        // Act
        var activity = ActivityMerger.Merge(completed, _call.Status(CallStatus.Ringing, 1, 2));

        // Assert
        Assert.Equal(CallStatus.Completed, activity.Status);
        Assert.Equal(CallOutcome.Connected, activity.Outcome);
        Assert.Equal(At(2), activity.RingingAt);
    }

    [Fact]
    public void Merge_TwoTerminalStatuses_HigherSequenceWinsInEitherOrder()
    {
        // Arrange
        var failed = _call.Status(CallStatus.Failed, 4, 30);
        var busy = _call.Status(CallStatus.Busy, 3, 20);

        // Act
        var one = CallEvents.MergeAll([busy, failed])!;
        var other = CallEvents.MergeAll([failed, busy])!;

        // Assert
        Assert.Equal(CallOutcome.Failed, one.Outcome);
        Assert.Equal(one, other);
        Assert.Equal(At(20), one.EndedAt);
    }

    [Fact]
    public void Merge_TwoTerminalStatusesWithSameSequence_CompletedBeatsFailedInEitherOrder()
    {
        // Arrange
        var completed = _call.Status(CallStatus.Completed, 3, 50, 40);
        var failed = _call.Status(CallStatus.Failed, 3, 50);

        // Act
        var one = CallEvents.MergeAll([completed, failed])!;
        var other = CallEvents.MergeAll([failed, completed])!;

        // Assert
        Assert.Equal(CallStatus.Completed, one.Status);
        Assert.Equal(one, other);
        Assert.Equal(40, one.DurationSeconds);
    }

    [Fact]
    public void Merge_RecordingInProgressArrivesAfterCompleted_KeepsCompletedRecording()
    {
        // Arrange
        var completed = _call.Recording(RecordingStatus.Completed, 53, 41);

        // Act
        var activity = CallEvents.MergeAll([completed, _call.Recording(RecordingStatus.InProgress, 9)])!;

        // Assert
        Assert.Equal(RecordingStatus.Completed, activity.RecordingStatus);
        Assert.Equal(CallEvents.RecordingSid, activity.RecordingSid);
        Assert.Equal(completed.RecordingUrl, activity.RecordingUrl);
        Assert.Equal(41, activity.RecordingDuration);
    }

    [Fact]
    public void Merge_RecordingAbsent_KeptWithoutUrlOverInProgress()
    {
        // Act
        var activity = CallEvents.MergeAll(
            [_call.Recording(RecordingStatus.Absent, 53) with { RecordingUrl = null }, _call.Recording(RecordingStatus.InProgress, 9)])!;

        // Assert
        Assert.Equal(RecordingStatus.Absent, activity.RecordingStatus);
        Assert.Null(activity.RecordingUrl);
    }

    [Fact]
    public void Merge_RecordingBeforeAnyStatus_CreatesActivityOfTheAgentLeg()
    {
        // Act
        var activity = ActivityMerger.Merge(null, _call.Recording(RecordingStatus.Completed, 53, 41));

        // Assert
        Assert.Equal(new ActivityKey(CallEvents.OrgId, CallEvents.AgentSid), activity.Key);
        Assert.Null(activity.Status);
        Assert.Equal(RecordingStatus.Completed, activity.RecordingStatus);
    }

    [Fact]
    public void Merge_DispositionEdits_LatestUpdateWinsInEitherOrder()
    {
        // Arrange
        var first = _call.Disposition("Left voicemail", "", 120);
        var second = _call.Disposition("Meeting booked", "Call back Tuesday", 180);

        // Act
        var one = CallEvents.MergeAll([first, second])!;
        var other = CallEvents.MergeAll([second, first])!;

        // Assert
        Assert.Equal("Meeting booked", one.Disposition);
        Assert.Equal("Call back Tuesday", one.Notes);
        Assert.Equal(At(180), one.DispositionUpdatedAt);
        Assert.Equal(CallEvents.UserId, one.DispositionUserId);
        Assert.Equal(one, other);
    }

    [Fact]
    public void Merge_DispositionEditsAtSameInstant_SameWinnerInEitherOrder()
    {
        // Arrange
        var a = _call.Disposition("Connected", "Asked for pricing", 120);
        var b = _call.Disposition("Connected", "Wants a demo", 120);

        // Act
        var one = CallEvents.MergeAll([a, b])!;
        var other = CallEvents.MergeAll([b, a])!;

        // Assert
        Assert.Equal("Wants a demo", one.Notes);
        Assert.Equal(one, other);
    }

    [Fact]
    public void Merge_SameInstantInAnotherOffset_SameActivity()
    {
        // Arrange
        var utc = _call.Status(CallStatus.Ringing, 1, 2);
        var local = utc with { Timestamp = utc.Timestamp!.Value.ToOffset(TimeSpan.FromHours(-5)) };

        // Act / Assert
        Assert.Equal(ActivityMerger.Merge(null, utc), ActivityMerger.Merge(null, local));
        Assert.Equal(TimeSpan.Zero, ActivityMerger.Merge(null, local).RingingAt!.Value.Offset);
    }

    [Fact]
    public void Merge_AgentLegStatus_LeavesActivityUnchanged()
    {
        // Arrange
        var ringing = ActivityMerger.Merge(null, _call.Status(CallStatus.Ringing, 1, 2));

        // Act
        var activity = ActivityMerger.Merge(ringing, _call.AgentStatus(CallStatus.Completed, 3, 60));

        // Assert
        Assert.Same(ringing, activity);
    }

    [Fact]
    public void Merge_AgentLegStatusWithoutActivity_Throws()
    {
        // Act / Assert
        Assert.Throws<ArgumentException>(() => ActivityMerger.Merge(null, _call.AgentStatus(CallStatus.Initiated, 0, 0)));
    }

    [Fact]
    public void Merge_EventOfAnotherCall_Throws()
    {
        // Arrange
        var activity = ActivityMerger.Merge(null, _call.Status(CallStatus.Ringing, 1, 2));
        var otherCall = _call.Disposition("Connected", "", 120) with { CallSid = "CA00000000000000000000000000000f99" };

        // Act / Assert
        Assert.Throws<ArgumentException>(() => ActivityMerger.Merge(activity, otherCall));
    }

    [Fact]
    public void Merge_PhoneAndComputerCalls_SameShapeApartFromMethod()
    {
        // Arrange
        var phone = new CallEvents(CallingMethod.Phone);
        CallEventMessage[] Events(CallEvents c) =>
        [
            c.AgentStatus(CallStatus.Initiated, 0, 0),
            c.AgentStatus(CallStatus.InProgress, 1, 1),
            c.Status(CallStatus.Initiated, 0, 1),
            c.Status(CallStatus.Ringing, 1, 3),
            c.Status(CallStatus.InProgress, 2, 9),
            c.Status(CallStatus.Completed, 3, 51, 42),
            c.AgentStatus(CallStatus.Completed, 2, 52),
            c.Recording(RecordingStatus.Completed, 53, 41),
            c.Disposition("Meeting booked", "Call back Tuesday", 120),
        ];

        // Act
        var fromComputer = CallEvents.MergeAll(Events(_call))!;
        var fromPhone = CallEvents.MergeAll(Events(phone))!;

        // Assert
        Assert.Equal(CallingMethod.Phone, fromPhone.Method);
        Assert.Equal(fromComputer with { Method = CallingMethod.Phone }, fromPhone);
    }

    [Fact]
    public void Merge_SyncedActivityGetsNewDisposition_PendingAgain()
    {
        // Arrange
        var synced = CallEvents.MergeAll([_call.Status(CallStatus.Completed, 3, 51, 42)])!.MarkCrmSynced();

        // Act
        var activity = ActivityMerger.Merge(synced, _call.Disposition("Meeting booked", "Call back Tuesday", 120));

        // Assert
        Assert.Equal(CrmSyncState.Pending, activity.CrmSync);
    }

    [Fact]
    public void Merge_SyncFailedActivityGetsRecording_PendingWithAttemptsReset()
    {
        // Arrange
        var failed = CallEvents.MergeAll([_call.Status(CallStatus.Completed, 3, 51, 42)])!
            .MarkCrmSyncFailed("Salesforce returned 503").MarkCrmSyncFailed("Salesforce returned 503");

        // Act
        var activity = ActivityMerger.Merge(failed, _call.Recording(RecordingStatus.Completed, 53, 41));

        // Assert
        Assert.Equal(2, failed.CrmSyncAttempts);
        Assert.Equal(CrmSyncState.Pending, activity.CrmSync);
        Assert.Equal(0, activity.CrmSyncAttempts);
        Assert.Null(activity.CrmSyncMessage);
    }

    [Fact]
    public void Merge_SyncedActivityGetsDuplicateOrCrmInvisibleChange_StaysSynced()
    {
        // Arrange
        var completed = _call.Status(CallStatus.Completed, 3, 51, 42);
        var synced = CallEvents.MergeAll([_call.Status(CallStatus.InProgress, 2, 9), completed])!.MarkCrmSynced();

        // Act
        var afterDuplicate = ActivityMerger.Merge(synced, completed with { ReceivedAt = completed.ReceivedAt.AddSeconds(30) });
        var afterLateRinging = ActivityMerger.Merge(synced, _call.Status(CallStatus.Ringing, 1, 2));

        // Assert
        Assert.Equal(synced, afterDuplicate);
        Assert.Equal(At(2), afterLateRinging.RingingAt);
        Assert.Equal(CrmSyncState.Synced, afterLateRinging.CrmSync);
    }
}
