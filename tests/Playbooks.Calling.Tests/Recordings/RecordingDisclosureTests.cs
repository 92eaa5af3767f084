using Playbooks.Calling.Orgs;
using Playbooks.Calling.Recordings;

namespace Playbooks.Calling.Tests.Recordings;

public class RecordingDisclosureTests
{
    private static OrgSettings Org(RecordingMode recording, Dictionary<string, string>? jurisdictions = null) => new()
    {
        OrgId = "org-1",
        Name = "Org",
        Recording = recording,
        RecordingJurisdictions = jurisdictions ?? [],
    };

    [Theory]
    [InlineData("+14155550100", "US-CA")]
    [InlineData("+12015550100", "US-NJ")]
    [InlineData("+12125550100", "US-NY")]
    [InlineData("+14165550100", "CA-ON")]
    [InlineData("+15145550100", "CA-QC")]
    [InlineData("+18005550100", "US")]
    [InlineData("+442071838750", "GB")]
    [InlineData("+33142685300", "FR")]
    public void JurisdictionOf_Number_IsTheStateProvinceOrCountry(string number, string expected)
    {
        // Act / Assert
        Assert.Equal(expected, RecordingDisclosure.JurisdictionOf(number));
    }

    [Theory]
    [InlineData(RecordingMode.RecordFromAnswer, JurisdictionRecording.RecordAfterDisclosure, RecordingMode.RecordFromAnswer)]
    [InlineData(RecordingMode.DualChannel, JurisdictionRecording.RecordAfterDisclosure, RecordingMode.DualChannel)]
    [InlineData(RecordingMode.Off, JurisdictionRecording.Off, RecordingMode.Off)]
    public void Decide_NoJurisdictionChosen_FollowsTheOrgAndDisclosesWheneverRecording(
        RecordingMode orgRecording, JurisdictionRecording expected, RecordingMode dial)
    {
        // Act
        var decision = RecordingDisclosure.Decide(Org(orgRecording), "+14155550100");

        // Assert
        Assert.Equal(("US-CA", expected, dial), (decision.Jurisdiction, decision.Mode, decision.DialRecording));
        Assert.Equal(expected == JurisdictionRecording.RecordAfterDisclosure, decision.Discloses);
    }

    [Fact]
    public void Decide_StateChoiceAndCountryChoice_StateWins()
    {
        // Arrange
        var org = Org(RecordingMode.RecordFromAnswer, new() { ["US"] = "off", ["US-NJ"] = "record-without-disclosure" });

        // Act
        var newJersey = RecordingDisclosure.Decide(org, "+12015550100");
        var california = RecordingDisclosure.Decide(org, "+14155550100");

        // Assert
        Assert.Equal((JurisdictionRecording.RecordWithoutDisclosure, RecordingMode.RecordFromAnswer, false),
            (newJersey.Mode, newJersey.DialRecording, newJersey.Discloses));
        Assert.Equal((JurisdictionRecording.Off, RecordingMode.Off), (california.Mode, california.DialRecording));
    }

    [Fact]
    public void Decide_OrgRecordingOffButStateRecords_RecordsMonoAfterDisclosure()
    {
        // Act
        var decision = RecordingDisclosure.Decide(Org(RecordingMode.Off, new() { ["GB"] = "record-after-disclosure" }), "+442071838750");

        // Assert
        Assert.Equal((RecordingMode.RecordFromAnswer, true), (decision.DialRecording, decision.Discloses));
    }

    [Fact]
    public void Decide_StoredNoDisclosureForAllPartyState_DisclosesAnyway()
    {
        // Arrange: stored before the state left the one-party list
        var org = Org(RecordingMode.RecordFromAnswer, new() { ["US-CA"] = "record-without-disclosure" });

        // Act / Assert
        Assert.True(RecordingDisclosure.Decide(org, "+14155550100").Discloses);
    }

    [Theory]
    [InlineData("US-CA")]
    [InlineData("US-FL")]
    [InlineData("US")]
    [InlineData("DE")]
    public void ValidateJurisdictions_NoDisclosureWhereAllPartyConsent_RefusedNamingTheJurisdiction(string jurisdiction)
    {
        // Act
        var result = RecordingDisclosure.ValidateJurisdictions(new Dictionary<string, string?> { [jurisdiction] = "record-without-disclosure" });

        // Assert
        Assert.Equal((RecordingDisclosure.NotOnePartyConsent, "recordingJurisdictions"), (result.Failure?.Code, result.Failure?.Field));
        Assert.Contains(jurisdiction, result.Failure!.Detail);
    }

    [Fact]
    public void ValidateJurisdictions_MixedValidEntries_NormalizesKeysToUpperCase()
    {
        // Act
        var result = RecordingDisclosure.ValidateJurisdictions(new Dictionary<string, string?>
        {
            ["us-ny"] = "record-without-disclosure",
            ["ca-on"] = "record-without-disclosure",
            ["gb"] = "record-after-disclosure",
            ["US-CA"] = "off",
        });

        // Assert
        Assert.Null(result.Failure);
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["CA-ON"] = "record-without-disclosure", ["GB"] = "record-after-disclosure", ["US-CA"] = "off", ["US-NY"] = "record-without-disclosure",
            },
            result.Value);
    }

    [Theory]
    [InlineData("US-XX", "record-after-disclosure", "unknown-jurisdiction")]
    [InlineData("Narnia", "off", "unknown-jurisdiction")]
    [InlineData("US-NY", "always", "unknown-recording-mode")]
    [InlineData("US-NY", null, "unknown-recording-mode")]
    public void ValidateJurisdictions_BadEntry_Refused(string key, string? mode, string code)
    {
        // Act
        var result = RecordingDisclosure.ValidateJurisdictions(new Dictionary<string, string?> { [key] = mode });

        // Assert
        Assert.Equal((code, "recordingJurisdictions"), (result.Failure?.Code, result.Failure?.Field));
    }

    [Theory]
    [InlineData("http://cdn.example.com/a.mp3")]
    [InlineData("https://127.0.0.1/a.mp3")]
    [InlineData("https://localhost/a.mp3")]
    [InlineData("https://user:pw@cdn.example.com/a.mp3")]
    [InlineData("not a url")]
    [InlineData("javascript:alert(1)")]
    public void ValidateAudioUrl_NotAPublicHttpsUrl_Refused(string url)
    {
        // Act
        var result = RecordingDisclosure.ValidateAudioUrl(url);

        // Assert
        Assert.Equal("disclosureAudioUrl", result.Failure?.Field);
    }

    [Fact]
    public void ValidateText_TooLongOrMultiline_RefusedAndEmptyClears()
    {
        // Act / Assert
        Assert.Equal("disclosureText", RecordingDisclosure.ValidateText(new string('a', RecordingDisclosure.MaxTextLength + 1)).Failure?.Field);
        Assert.Equal("disclosureText", RecordingDisclosure.ValidateText("one\ntwo").Failure?.Field);
        var cleared = RecordingDisclosure.ValidateText("  ");
        Assert.Null(cleared.Failure);
        Assert.Null(cleared.Value);
        Assert.Equal("This call is recorded.", RecordingDisclosure.ValidateText(" This call is recorded. ").Value);
    }
}
