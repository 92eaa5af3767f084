using System.Text.Json;
using Playbooks.Calling.Activity;

namespace Playbooks.Calling.Tests.Activity;

public class CallEventSerializerTests
{
    private static readonly CallEvents Call = new();

    public static TheoryData<CallEventMessage> Events() =>
    [
        Call.Status(CallStatus.InProgress, 2, 9),
        Call.Status(CallStatus.Completed, 3, 60, 51),
        Call.AgentStatus(CallStatus.Initiated, 0, 0),
        Call.Recording(RecordingStatus.Completed, 62, 51),
        Call.Disposition("Meeting booked", "Call back Tuesday", 120),
    ];

    [Fact]
    public void Serialize_StatusEvent_IsCamelCaseJsonAtVersion1()
    {
        // Act
        var json = CallEventSerializer.Serialize(Call.Status(CallStatus.InProgress, 2, 9));

        // Assert
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        Assert.Equal(1, root.GetProperty("version").GetInt32());
        Assert.Equal("call-status", root.GetProperty("kind").GetString());
        Assert.Equal("in-progress", root.GetProperty("callStatus").GetString());
        Assert.Equal("prospect", root.GetProperty("leg").GetString());
        Assert.Equal("computer", root.GetProperty("method").GetString());
        Assert.Equal(CallEvents.AgentSid, root.GetProperty("parentCallSid").GetString());
        Assert.False(root.TryGetProperty("recordingSid", out _));
    }

    [Theory]
    [MemberData(nameof(Events))]
    public void TryDeserialize_SerializedEvent_EqualsOriginal(CallEventMessage message)
    {
        // Act
        var result = CallEventSerializer.TryDeserialize(CallEventSerializer.Serialize(message));

        // Assert
        Assert.True(result.IsSuccess, result.Failure?.Detail);
        Assert.Equal(message, result.Value);
    }

    [Theory]
    [InlineData("""{"version":2,"kind":"call-status","orgId":"org-1","callSid":"CA1","receivedAt":"2026-11-26T10:00:00Z"}""")]
    [InlineData("""{"version":"1","kind":"call-status"}""")]
    [InlineData("""{"kind":"call-status","orgId":"org-1"}""")]
    [InlineData("""{"version":1.5}""")]
    public void TryDeserialize_UnknownVersion_FailsAsUnsupportedVersion(string payload)
    {
        // Act
        var result = CallEventSerializer.TryDeserialize(payload);

        // Assert
        Assert.Equal(CallEventSerializer.UnsupportedVersion, result.Failure?.Code);
        Assert.False(string.IsNullOrWhiteSpace(result.Failure!.Detail));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("[1,2]")]
    [InlineData("""{"version":1,"kind":"telepathy","orgId":"org-1","callSid":"CA1","receivedAt":"2026-11-26T10:00:00Z"}""")]
    [InlineData("""{"version":1,"kind":"disposition","orgId":"org-1"}""")]
    [InlineData("""{"version":1,"kind":"call-status","orgId":"org-1","callSid":"CA1","receivedAt":"2026-11-26T10:00:00Z","sequenceNumber":"x"}""")]
    public void TryDeserialize_Unparseable_FailsAsUnparseable(string payload)
    {
        // Act
        var result = CallEventSerializer.TryDeserialize(payload);

        // Assert
        Assert.Equal(CallEventSerializer.UnparseablePayload, result.Failure?.Code);
    }

    [Fact]
    public void TryDeserialize_StatusEventWithoutStatus_FailsOnCallStatus()
    {
        // Arrange
        var payload = CallEventSerializer.Serialize(Call.Status(CallStatus.Ringing, 1, 3) with { CallStatus = null });

        // Act
        var result = CallEventSerializer.TryDeserialize(payload);

        // Assert
        Assert.Equal("missing-field", result.Failure?.Code);
        Assert.Equal("callStatus", result.Failure!.Field);
    }
}
