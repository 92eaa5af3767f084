using Azure.Data.Tables;
using Microsoft.Extensions.Time.Testing;
using Moq;
using Playbooks.Calling.Activity;
using Playbooks.Calling.Calls;

namespace Playbooks.Calling.Tests.Calls;

public class OpenCallTrackerTests
{
    private const string OrgId = "org-a";
    private const string AgentSid = "CA0000000000000000000000000000a001";

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero));
    private readonly Mock<OpenCallIndex> _index = new(MockBehavior.Strict, new TableServiceClient("UseDevelopmentStorage=true"));
    private readonly OpenCallTracker _tracker;

    public OpenCallTrackerTests()
    {
        _index.Setup(i => i.OpenAsync(It.IsAny<OpenCall>(), It.IsAny<CancellationToken>())).Returns(Task.CompletedTask);
        _index.Setup(i => i.CloseAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<CancellationToken>())).Returns(Task.CompletedTask);
        _tracker = new OpenCallTracker(_index.Object, _time);
    }

    private static CallActivity With(CallStatus? status) => CallActivity.Empty(new ActivityKey(OrgId, AgentSid)) with { Status = status };

    [Fact]
    public async Task OnMergedAsync_FirstStatusOfTheProspectLeg_OpensTheCallNow()
    {
        // Act
        await _tracker.OnMergedAsync(new ActivityChange(null, With(CallStatus.Ringing)), CancellationToken.None);

        // Assert
        _index.Verify(i => i.OpenAsync(new OpenCall(OrgId, AgentSid, _time.GetUtcNow()), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task OnMergedAsync_LegMovesOnWhileOpen_TouchesNothing()
    {
        // Act
        await _tracker.OnMergedAsync(new ActivityChange(With(CallStatus.Ringing), With(CallStatus.InProgress)), CancellationToken.None);

        // Assert
        _index.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task OnMergedAsync_OpenLegEnds_ClosesTheCall()
    {
        // Act
        await _tracker.OnMergedAsync(new ActivityChange(With(CallStatus.InProgress), With(CallStatus.Completed)), CancellationToken.None);

        // Assert
        _index.Verify(i => i.CloseAsync(OrgId, AgentSid, It.IsAny<CancellationToken>()), Times.Once);
        _index.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task OnMergedAsync_EndArrivesBeforeAnyOtherStatus_NeverOpensTheCall()
    {
        // Act
        await _tracker.OnMergedAsync(new ActivityChange(null, With(CallStatus.NoAnswer)), CancellationToken.None);
        await _tracker.OnMergedAsync(new ActivityChange(With(CallStatus.NoAnswer), With(CallStatus.NoAnswer) with { RingingAt = DateTimeOffset.UnixEpoch }), CancellationToken.None);

        // Assert
        _index.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task OnMergedAsync_ReplayedEvent_DoesItsStepAgain()
    {
        // Act: a redelivered event changes nothing, but the step may have failed the first time.
        await _tracker.OnMergedAsync(new ActivityChange(With(CallStatus.Ringing), With(CallStatus.Ringing)), CancellationToken.None);
        await _tracker.OnMergedAsync(new ActivityChange(With(CallStatus.Busy), With(CallStatus.Busy)), CancellationToken.None);

        // Assert
        _index.Verify(i => i.OpenAsync(It.IsAny<OpenCall>(), It.IsAny<CancellationToken>()), Times.Once);
        _index.Verify(i => i.CloseAsync(OrgId, AgentSid, It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task OnMergedAsync_ActivityWithoutStatus_TouchesNothing()
    {
        // Act: a disposition or disclosure before any status callback.
        await _tracker.OnMergedAsync(new ActivityChange(null, With(null) with { Disposition = "left-voicemail" }), CancellationToken.None);

        // Assert
        _index.VerifyNoOtherCalls();
    }
}
