using Playbooks.Calling.Activity;
using Playbooks.Calling.Orgs;

namespace Playbooks.Calling.Tests.Activity;

public class TwilioCallbackParserTests
{
    private static readonly DateTimeOffset ReceivedAt = new(2026, 11, 26, 10, 1, 0, TimeSpan.Zero);

    private static Dictionary<string, string> ProspectCompletedForm() => new()
    {
        ["AccountSid"] = "AC0000000000000000000000000000acc1",
        ["ApiVersion"] = "2010-04-01",
        ["CallSid"] = CallEvents.ProspectSid,
        ["ParentCallSid"] = CallEvents.AgentSid,
        ["CallStatus"] = "completed",
        ["Direction"] = "outbound-dial",
        ["From"] = CallEvents.CallerId,
        ["To"] = CallEvents.ProspectNumber,
        ["CallDuration"] = "42",
        ["SequenceNumber"] = "3",
        ["Timestamp"] = "Thu, 26 Nov 2026 10:00:52 +0000",
        ["CallbackSource"] = "call-progress-events",
    };

    private static Dictionary<string, string> Context() => new()
    {
        ["orgId"] = CallEvents.OrgId,
        ["userId"] = CallEvents.UserId,
        ["method"] = "computer",
        ["crmWhoId"] = "00Q5e00000AbCdEAAA",
    };

    [Fact]
    public void ParseStatusCallback_ProspectLegCompleted_ReadsEveryField()
    {
        // Act
        var result = TwilioCallbackParser.ParseStatusCallback(ProspectCompletedForm(), Context(), ReceivedAt);

        // Assert
        Assert.True(result.IsSuccess, result.Failure?.Detail);
        var e = result.Value!;
        Assert.Equal(CallEventKind.CallStatus, e.Kind);
        Assert.Equal(CallEventMessage.CurrentVersion, e.Version);
        Assert.Equal(CallEvents.OrgId, e.OrgId);
        Assert.Equal(CallEvents.ProspectSid, e.CallSid);
        Assert.Equal(CallEvents.AgentSid, e.ParentCallSid);
        Assert.Equal(CallLeg.Prospect, e.Leg);
        Assert.Equal(CallStatus.Completed, e.CallStatus);
        Assert.Equal(3, e.SequenceNumber);
        Assert.Equal(42, e.CallDuration);
        Assert.Equal(new DateTimeOffset(2026, 11, 26, 10, 0, 52, TimeSpan.Zero), e.Timestamp);
        Assert.Equal(CallEvents.ProspectNumber, e.To);
        Assert.Equal(CallEvents.CallerId, e.From);
        Assert.Equal("outbound-dial", e.Direction);
        Assert.Equal(CallEvents.UserId, e.UserId);
        Assert.Equal(CallingMethod.Computer, e.Method);
        Assert.Equal("00Q5e00000AbCdEAAA", e.CrmWhoId);
        Assert.Equal(ReceivedAt, e.ReceivedAt);
        Assert.Equal(new ActivityKey(CallEvents.OrgId, CallEvents.AgentSid), ActivityKey.Of(e));
    }

    [Fact]
    public void ParseStatusCallback_NoParentCallSid_IsAgentLegWithoutActivity()
    {
        // Arrange
        var form = ProspectCompletedForm();
        form.Remove("ParentCallSid");
        form["CallSid"] = CallEvents.AgentSid;
        form["Direction"] = "outbound-api";

        // Act
        var result = TwilioCallbackParser.ParseStatusCallback(form, Context(), ReceivedAt);

        // Assert
        Assert.Equal(CallLeg.Agent, result.Value!.Leg);
        Assert.Null(ActivityKey.Of(result.Value));
    }

    [Fact]
    public void ParseStatusCallback_MarkedAsAgentLeg_IsAgentLeg()
    {
        // Arrange
        var query = Context();
        query["leg"] = "agent";

        // Act
        var result = TwilioCallbackParser.ParseStatusCallback(ProspectCompletedForm(), query, ReceivedAt);

        // Assert
        Assert.Equal(CallLeg.Agent, result.Value!.Leg);
    }

    [Fact]
    public void ParseStatusCallback_DurationOnRingingEvent_IsDropped()
    {
        // Arrange
        var form = ProspectCompletedForm();
        form["CallStatus"] = "ringing";
        form["CallDuration"] = "0";

        // Act
        var result = TwilioCallbackParser.ParseStatusCallback(form, Context(), ReceivedAt);

        // Assert
        Assert.Equal(CallStatus.Ringing, result.Value!.CallStatus);
        Assert.Null(result.Value.CallDuration);
    }

    [Theory]
    [InlineData("CallSid", null, "CallSid", "missing-field")]
    [InlineData("CallSid", " ", "CallSid", "missing-field")]
    [InlineData("CallStatus", "answered-ish", "CallStatus", "invalid-field")]
    [InlineData("CallStatus", null, "CallStatus", "invalid-field")]
    [InlineData("SequenceNumber", "-1", "SequenceNumber", "invalid-field")]
    [InlineData("SequenceNumber", "two", "SequenceNumber", "invalid-field")]
    [InlineData("SequenceNumber", "1.5", "SequenceNumber", "invalid-field")]
    [InlineData("SequenceNumber", null, "SequenceNumber", "invalid-field")]
    [InlineData("Timestamp", "yesterday", "Timestamp", "invalid-field")]
    [InlineData("Timestamp", null, "Timestamp", "invalid-field")]
    [InlineData("CallDuration", "forty", "CallDuration", "invalid-field")]
    public void ParseStatusCallback_BadField_FailsOnThatField(string name, string? value, string field, string code)
    {
        // Arrange
        var form = ProspectCompletedForm();
        if (value is null) form.Remove(name);
        else form[name] = value;

        // Act
        var result = TwilioCallbackParser.ParseStatusCallback(form, Context(), ReceivedAt);

        // Assert
        Assert.False(result.IsSuccess);
        Assert.Equal(FailureKind.Invalid, result.Failure!.Kind);
        Assert.Equal(field, result.Failure.Field);
        Assert.Equal(code, result.Failure.Code);
    }

    [Theory]
    [InlineData("orgId", null)]
    [InlineData("userId", null)]
    [InlineData("method", "carrier-pigeon")]
    [InlineData("method", null)]
    public void ParseStatusCallback_BadContext_FailsOnContextField(string name, string? value)
    {
        // Arrange
        var query = Context();
        if (value is null) query.Remove(name);
        else query[name] = value;

        // Act
        var result = TwilioCallbackParser.ParseStatusCallback(ProspectCompletedForm(), query, ReceivedAt);

        // Assert
        Assert.Equal(name, result.Failure?.Field);
    }

    [Fact]
    public void ParseRecordingCallback_Completed_ReadsRecordingOfAgentLeg()
    {
        // Arrange
        var form = new Dictionary<string, string>
        {
            ["AccountSid"] = "AC0000000000000000000000000000acc1",
            ["CallSid"] = CallEvents.AgentSid,
            ["RecordingSid"] = CallEvents.RecordingSid,
            ["RecordingUrl"] = "https://api.twilio.com/2010-04-01/Accounts/AC1/Recordings/" + CallEvents.RecordingSid,
            ["RecordingStatus"] = "completed",
            ["RecordingDuration"] = "41",
            ["RecordingChannels"] = "2",
            ["RecordingStartTime"] = "Thu, 26 Nov 2026 10:00:11 +0000",
            ["RecordingSource"] = "DialVerb",
        };

        // Act
        var result = TwilioCallbackParser.ParseRecordingCallback(form, Context(), ReceivedAt);

        // Assert
        Assert.True(result.IsSuccess, result.Failure?.Detail);
        var e = result.Value!;
        Assert.Equal(CallEventKind.RecordingStatus, e.Kind);
        Assert.Equal(RecordingStatus.Completed, e.RecordingStatus);
        Assert.Equal(41, e.RecordingDuration);
        Assert.Equal(form["RecordingUrl"], e.RecordingUrl);
        Assert.Equal(new DateTimeOffset(2026, 11, 26, 10, 0, 11, TimeSpan.Zero), e.Timestamp);
        Assert.Equal(new ActivityKey(CallEvents.OrgId, CallEvents.AgentSid), ActivityKey.Of(e));
    }

    [Theory]
    [InlineData("RecordingStatus", "stopped", "RecordingStatus")]
    [InlineData("RecordingSid", null, "RecordingSid")]
    [InlineData("RecordingDuration", "long", "RecordingDuration")]
    public void ParseRecordingCallback_BadField_FailsOnThatField(string name, string? value, string field)
    {
        // Arrange
        var form = new Dictionary<string, string>
        {
            ["CallSid"] = CallEvents.AgentSid,
            ["RecordingSid"] = CallEvents.RecordingSid,
            ["RecordingStatus"] = "in-progress",
        };
        if (value is null) form.Remove(name);
        else form[name] = value;

        // Act
        var result = TwilioCallbackParser.ParseRecordingCallback(form, Context(), ReceivedAt);

        // Assert
        Assert.Equal(field, result.Failure?.Field);
    }

    [Theory]
    [InlineData("Thu, 26 Nov 2026 10:00:52 +0000", "2026-11-26T10:00:52+00:00")]
    [InlineData("Thu, 26 Nov 2026 05:00:52 -0500", "2026-11-26T10:00:52+00:00")]
    [InlineData("26 Nov 2026 10:00:52 GMT", "2026-11-26T10:00:52+00:00")]
    [InlineData("2026-11-26T10:00:52.250Z", "2026-11-26T10:00:52.250+00:00")]
    public void TryParse_TwilioTimestamp_ReadsInstant(string text, string expected)
    {
        // Act
        var parsed = TwilioTimestamp.TryParse(text, out var value);

        // Assert
        Assert.True(parsed);
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), value);
    }
}
