using Playbooks.Calling.Activity;
using Playbooks.Calling.Calls;
using Playbooks.Calling.Orgs;

namespace Playbooks.Calling.Tests.Calls;

public class CallStateServiceTests
{
    private const string Sid = "CA00000000000000000000000000000001";

    private static readonly DateTimeOffset At = new(2026, 3, 14, 15, 9, 26, TimeSpan.Zero);

    private static readonly CallRecord Phone = new("org-1", Sid, "user-1", CallingMethod.Phone, "+12015550123", At);

    private static AgentLegState Agent(CallStatus? status, AgentConfirmation? confirmation = null) =>
        new("org-1", Sid) { Status = status, StatusAt = At.AddSeconds(30), Confirmation = confirmation, ConfirmedAt = confirmation is null ? null : At.AddSeconds(10) };

    private static CallActivity Prospect(CallStatus status, bool answered = false) =>
        CallActivity.Empty(new ActivityKey("org-1", Sid)) with
        {
            Status = status,
            AnsweredAt = answered ? At.AddSeconds(15) : null,
            EndedAt = status is CallStatus.InProgress or CallStatus.Ringing ? null : At.AddSeconds(60),
        };

    public static TheoryData<AgentLegState?, CallActivity?, string, string?> Cases => new()
    {
        { null, null, CallStates.Ringing, null },
        { Agent(CallStatus.Ringing), null, CallStates.Ringing, null },
        { Agent(CallStatus.InProgress), null, CallStates.WaitingForKey, null },
        { Agent(CallStatus.InProgress, AgentConfirmation.Confirmed), null, CallStates.Connecting, null },
        { Agent(CallStatus.InProgress, AgentConfirmation.Confirmed), Prospect(CallStatus.Ringing), CallStates.Connecting, null },
        { Agent(CallStatus.InProgress, AgentConfirmation.Confirmed), Prospect(CallStatus.InProgress, answered: true), CallStates.InCall, null },
        { Agent(CallStatus.InProgress, AgentConfirmation.Declined), null, CallStates.Ended, CallStates.AgentDeclined },
        { Agent(CallStatus.NoAnswer), null, CallStates.Ended, CallStates.AgentNoAnswer },
        { Agent(CallStatus.Busy), null, CallStates.Ended, CallStates.AgentNoAnswer },
        { Agent(CallStatus.Failed), null, CallStates.Ended, CallStates.AgentFailed },
        { Agent(CallStatus.Completed), null, CallStates.Ended, CallStates.AgentDeclined },
        { Agent(CallStatus.Completed, AgentConfirmation.Confirmed), Prospect(CallStatus.Completed, answered: true), CallStates.Ended, CallStates.Completed },
        { Agent(CallStatus.InProgress, AgentConfirmation.Confirmed), Prospect(CallStatus.NoAnswer), CallStates.Ended, CallStates.ProspectNoAnswer },
        { Agent(CallStatus.InProgress, AgentConfirmation.Confirmed), Prospect(CallStatus.Busy), CallStates.Ended, CallStates.ProspectBusy },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Derive_StoredFacts_GivesTheStateTheRepSees(AgentLegState? agent, CallActivity? prospect, string state, string? reason)
    {
        // Act
        var derived = CallStateService.Derive(Phone, agent, prospect);

        // Assert
        Assert.Equal((state, reason), (derived.State, derived.Reason));
        Assert.Equal(Sid, derived.CallSid);
    }

    [Fact]
    public void Derive_InCall_GivesWhenTheProspectAnsweredForTheTimer()
    {
        // Act
        var derived = CallStateService.Derive(
            Phone, Agent(CallStatus.InProgress, AgentConfirmation.Confirmed), Prospect(CallStatus.InProgress, answered: true));

        // Assert
        Assert.Equal(At.AddSeconds(15), derived.ConnectedAt);
        Assert.Null(derived.EndedAt);
    }

    [Fact]
    public void Derive_AgentNeverAnswered_EndsWhenTheAgentLegEnded()
    {
        // Act
        var derived = CallStateService.Derive(Phone, Agent(CallStatus.NoAnswer), null);

        // Assert
        Assert.Equal(At.AddSeconds(30), derived.EndedAt);
        Assert.Null(derived.ConnectedAt);
    }

    [Fact]
    public void Derive_BrowserCall_IsConnectingWithoutAnyKey()
    {
        // Act
        var derived = CallStateService.Derive(Phone with { Method = CallingMethod.Computer }, null, null);

        // Assert
        Assert.Equal(CallStates.Connecting, derived.State);
    }
}
