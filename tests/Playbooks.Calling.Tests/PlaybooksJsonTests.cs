using System.Text.Json;
using Playbooks.Calling.Activity;
using Playbooks.Calling.AgentPhones;
using Playbooks.Calling.CallEvents;
using Playbooks.Calling.Orgs;
using Playbooks.Calling.Tests.Activity;
using CallEventsSample = Playbooks.Calling.Tests.Activity.CallEvents;

namespace Playbooks.Calling.Tests;

/// <summary>The JSON the app stores and queues, byte for byte: rows and messages written before stay readable and equal.</summary>
public class PlaybooksJsonTests
{
    private static readonly CallEventsSample Call = new();

    [Fact]
    public void Serialize_StatusEvent_KeepsItsExactBytes()
    {
        // Act
        var json = CallEventSerializer.Serialize(Call.Status(CallStatus.Completed, 3, 60, 51));

        // Assert
        Assert.Equal(
            """{"version":1,"kind":"call-status","orgId":"org-1","callSid":"CA00000000000000000000000000000b02","receivedAt":"2026-11-26T10:01:00.15+00:00","timestamp":"2026-11-26T10:01:00+00:00","leg":"prospect","parentCallSid":"CA00000000000000000000000000000a01","callStatus":"completed","sequenceNumber":3,"callDuration":51,"to":"\u002B14155550199","from":"\u002B14155550100","direction":"outbound-dial","userId":"user-ana","method":"computer","crmWhoId":"00Q5e00000AbCdEAAA"}""",
            json);
    }

    [Fact]
    public void ActivityEntityFrom_MinimalActivity_KeepsTheActivityColumnsExactBytes()
    {
        // Arrange
        var activity = new CallActivity
        {
            OrgId = "org-1",
            AgentCallSid = CallEventsSample.AgentSid,
            UserId = "user-ana",
            Method = CallingMethod.Phone,
            ProspectNumber = "+14155550199",
            Status = CallStatus.Busy,
            Disposition = "Left <voicemail> & \"note\"",
        };

        // Act
        var entity = ActivityEntity.From(activity, CallEventsSample.Start);

        // Assert
        Assert.Equal(
            """{"orgId":"org-1","agentCallSid":"CA00000000000000000000000000000a01","userId":"user-ana","method":"phone","prospectNumber":"\u002B14155550199","status":"busy","outcome":"busy","disposition":"Left \u003Cvoicemail\u003E \u0026 \u0022note\u0022","crmSync":"pending","crmSyncAttempts":0}""",
            entity.Activity);
        Assert.Equal(activity, entity.ToActivity());
    }

    [Fact]
    public void RetryEnvelopeWrite_Payload_KeepsItsExactBytes()
    {
        // Arrange
        var envelope = new RetryEnvelope(2, 1, """{"version":1,"to":"+14155550199"}""");

        // Act
        var json = envelope.Write();

        // Assert
        Assert.Equal(
            """{"playbooksRetry":{"attempts":2,"handedBack":1},"payload":"{\u0022version\u0022:1,\u0022to\u0022:\u0022\u002B14155550199\u0022}"}""",
            json);
        Assert.Equal(envelope, RetryEnvelope.Read(json));
    }

    [Fact]
    public void RetryEnvelopeWrite_NullPayload_WritesTheNull()
    {
        // Act
        var json = new RetryEnvelope(2, 1, null).Write();

        // Assert
        Assert.Equal("""{"playbooksRetry":{"attempts":2,"handedBack":1},"payload":null}""", json);
    }

    [Fact]
    public void OrgEntityFrom_RecordingJurisdictions_KeepsTheirExactBytes()
    {
        // Arrange
        var org = new OrgSettings
        {
            OrgId = "org-1",
            Name = "Acme",
            RecordingJurisdictions = new Dictionary<string, string> { ["US-CA"] = "record-after-disclosure", ["GB"] = "off" },
        };

        // Act
        var entity = OrgEntity.From(org);

        // Assert
        Assert.Equal("""{"US-CA":"record-after-disclosure","GB":"off"}""", entity.RecordingJurisdictions);
        Assert.Equal(org.RecordingJurisdictions, entity.ToOrg().RecordingJurisdictions);
    }

    [Fact]
    public void AgentPhoneVerificationEntityFrom_RecentStarts_AreUnixSecondsInAnArray()
    {
        // Arrange
        var verification = new AgentPhoneVerification
        {
            OrgId = "org-1",
            UserId = "user-ana",
            Number = "+14155550199",
            Id = "v1",
            RecentStarts = [CallEventsSample.Start, CallEventsSample.Start.AddMinutes(5)],
        };

        // Act
        var entity = AgentPhoneVerificationEntity.From(verification);

        // Assert
        Assert.Equal("[1795687200,1795687500]", entity.RecentStarts);
    }

    [Fact]
    public void Deserialize_NumberAsString_IsRefused()
    {
        // Act
        var error = Record.Exception(() => JsonSerializer.Deserialize<AgentPhoneVerification>(
            """{"orgId":"org-1","userId":"u","number":"+14155550199","id":"v1","attempts":"2"}""", PlaybooksJson.Options));

        // Assert
        Assert.IsType<JsonException>(error);
    }

    [Fact]
    public void Options_ChangedAfterStart_Throws()
    {
        // Act
        var error = Record.Exception(() => PlaybooksJson.Options.WriteIndented = true);

        // Assert
        Assert.IsType<InvalidOperationException>(error);
    }
}
