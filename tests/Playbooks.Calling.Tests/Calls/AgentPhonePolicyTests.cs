using Playbooks.Calling.Calls;
using Playbooks.Calling.Orgs;

namespace Playbooks.Calling.Tests.Calls;

/// <summary>The rep's own phone passes the same destination policy as a prospect, with the field agentPhoneNumber.</summary>
public class AgentPhonePolicyTests
{
    private static readonly DestinationPolicy Policy = new();

    private static OrgSettings Org(params string[] allowedCountries) => new()
    {
        OrgId = "org-1",
        Name = "Acme",
        AllowedCountries = allowedCountries.Length == 0 ? ["US", "CA"] : allowedCountries,
    };

    [Theory]
    [InlineData("+449012345678", "GB")] // UK 09 premium rate
    [InlineData("+448431234567", "GB")] // UK 084 shared cost
    [InlineData("+447012345678", "GB")] // UK 070 personal number
    [InlineData("+19002345678", "US")] // US 900
    public void CheckAgentPhone_PremiumSharedCostOrPersonal_RefusedAsPremiumOnAgentPhoneNumber(string number, string region)
    {
        // Act
        var result = Policy.CheckAgentPhone(number, Org(region));

        // Assert
        Assert.Equal(DestinationPolicy.PremiumRate, result.Failure?.Code);
        Assert.Equal(FailureKind.Invalid, result.Failure?.Kind);
        Assert.Equal("agentPhoneNumber", result.Failure?.Field);
    }

    [Theory]
    [InlineData("911")]
    [InlineData("611")]
    [InlineData("+1911")]
    public void CheckAgentPhone_EmergencyOrShortCode_RefusedAsNotDialable(string number)
    {
        // Act
        var result = Policy.CheckAgentPhone(number, Org());

        // Assert
        Assert.Equal(DestinationPolicy.NotDialable, result.Failure?.Code);
        Assert.Equal("agentPhoneNumber", result.Failure?.Field);
    }

    [Fact]
    public void CheckAgentPhone_CountryTheOrgDoesNotAllow_Refused()
    {
        // Act
        var result = Policy.CheckAgentPhone("+442079460123", Org("US", "CA"));

        // Assert
        Assert.Equal(DestinationPolicy.CountryNotAllowed, result.Failure?.Code);
        Assert.Equal("agentPhoneNumber", result.Failure?.Field);
    }

    [Theory]
    [InlineData("+14155552671", "+14155552671")]
    [InlineData("(415) 555-2671", "+14155552671")]
    [InlineData(" +1 415 555 2671 ", "+14155552671")]
    public void CheckAgentPhone_OrdinaryNumberInAnAllowedCountry_ReturnsE164(string number, string expected)
    {
        // Act
        var result = Policy.CheckAgentPhone(number, Org());

        // Assert
        Assert.Null(result.Failure);
        Assert.Equal(expected, result.Value);
    }

    [Theory]
    [InlineData("12")]
    [InlineData("not a phone")]
    [InlineData("<script>alert(1)</script>")] // one digit: too short even for libphonenumber to parse
    [InlineData("+1415555267100000000000")]
    public void CheckAgentPhone_Garbage_RefusedOnAgentPhoneNumber(string number)
    {
        // Act
        var result = Policy.CheckAgentPhone(number, Org());

        // Assert
        Assert.Equal(FailureKind.Invalid, result.Failure?.Kind);
        Assert.Equal("agentPhoneNumber", result.Failure?.Field);
    }

    [Fact]
    public void Check_ProspectRefusal_StillNamesTo()
    {
        // Act
        var result = Policy.Check("+449012345678", Org("GB"));

        // Assert
        Assert.Equal("to", result.Failure?.Field);
    }
}
