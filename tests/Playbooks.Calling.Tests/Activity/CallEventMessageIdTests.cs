using Playbooks.Calling.Activity;

namespace Playbooks.Calling.Tests.Activity;

public class CallEventMessageIdTests
{
    private readonly CallEvents _call = new();

    [Fact]
    public void For_SameCallbackRetriedLater_SameId()
    {
        // Arrange
        var first = _call.Status(CallStatus.Ringing, 1, 5);
        var retry = first with { ReceivedAt = first.ReceivedAt.AddSeconds(20) };

        // Act / Assert
        Assert.Equal(CallEventMessageId.For(first), CallEventMessageId.For(retry));
    }

    [Fact]
    public void For_EventsOfOneCall_AllDistinct()
    {
        // Arrange
        CallEventMessage[] events =
        [
            _call.Status(CallStatus.Initiated, 0, 0),
            _call.Status(CallStatus.Ringing, 1, 3),
            _call.Status(CallStatus.InProgress, 2, 9),
            _call.Status(CallStatus.Completed, 3, 60, 51),
            _call.AgentStatus(CallStatus.Completed, 3, 61),
            _call.Recording(RecordingStatus.InProgress, 9),
            _call.Recording(RecordingStatus.Completed, 62, 51),
            _call.Recording(RecordingStatus.Completed, 62, 51, sid: "RE00000000000000000000000000000c04"),
            _call.Disposition("Connected", "Asked for pricing", 120),
            _call.Disposition("Connected", "Asked for pricing.", 120),
            _call.Disposition("Connected", "Asked for pricing", 180),
            _call.Disposition("Meeting booked", "Asked for pricing", 120),
        ];

        // Act
        var ids = events.Select(CallEventMessageId.For).ToList();

        // Assert
        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
        Assert.All(ids, id => Assert.InRange(id.Length, 1, CallEventMessageId.MaxLength));
    }

    [Fact]
    public void For_DispositionFieldsSplitDifferently_DistinctIds()
    {
        // Arrange
        var a = _call.Disposition("Left voice", "mail", 120);
        var b = _call.Disposition("Left", "voice mail", 120);

        // Act / Assert
        Assert.NotEqual(CallEventMessageId.For(a), CallEventMessageId.For(b));
    }

    [Fact]
    public void For_OversizedSid_HashedToAtMost128Chars()
    {
        // Arrange
        var e = _call.Disposition("Connected", "", 120) with { CallSid = new string('x', 200) };
        var other = e with { CallSid = new string('y', 200) };

        // Act
        var id = CallEventMessageId.For(e);

        // Assert
        Assert.True(id.Length <= CallEventMessageId.MaxLength);
        Assert.Equal(id, CallEventMessageId.For(e with { ReceivedAt = e.ReceivedAt.AddHours(1) }));
        Assert.NotEqual(id, CallEventMessageId.For(other));
    }

    [Fact]
    public void For_StatusEvent_NamesCallKindAndSequence()
    {
        // Act
        var id = CallEventMessageId.For(_call.Status(CallStatus.Busy, 2, 7));

        // Assert
        Assert.Equal($"call-status:{CallEvents.ProspectSid}:2", id);
    }
}
