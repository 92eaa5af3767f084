using Playbooks.Calling.Calls;
using Playbooks.Calling.Orgs;

namespace Playbooks.Calling.Tests.Calls;

public class DestinationPolicyTests
{
    private static readonly DestinationPolicy Policy = new();

    private static OrgSettings Org(params string[] allowedCountries) => new()
    {
        OrgId = "org-1",
        Name = "Acme",
        AllowedCountries = allowedCountries.Length == 0 ? ["US", "CA"] : allowedCountries,
    };

    [Theory]
    [InlineData("+12015550123", "+12015550123")]
    [InlineData("+1 (201) 555-0123", "+12015550123")]
    [InlineData(" +1.201.555.0123 ", "+12015550123")]
    [InlineData("+15062345678", "+15062345678")]
    [InlineData("+18005551212", "+18005551212")]
    public void Check_DialableNumberInAnAllowedCountry_ReturnsE164(string to, string expected)
    {
        // Act
        var result = Policy.Check(to, Org());

        // Assert
        Assert.Equal(expected, result.Value);
        Assert.Null(result.Failure);
    }

    [Fact]
    public void Check_AllowedCountryInLowerCase_StillAllows()
    {
        // Act
        var result = Policy.Check("+442079460123", Org("gb"));

        // Assert
        Assert.Equal("+442079460123", result.Value);
    }

    [Theory]
    [InlineData("+19002345678", "US")]
    [InlineData("+449012345678", "GB")]
    [InlineData("+449098765432", "GB")]
    [InlineData("+448431234567", "GB")]
    [InlineData("+447012345678", "GB")]
    public void Check_PremiumRateSharedCostOrPersonalNumber_RefusesAsPremium(string to, string region)
    {
        // Act
        var result = Policy.Check(to, Org(region));

        // Assert
        Assert.Equal(DestinationPolicy.PremiumRate, result.Failure?.Code);
        Assert.Equal(FailureKind.Invalid, result.Failure?.Kind);
        Assert.Equal("to", result.Failure?.Field);
    }

    [Fact]
    public void Check_PremiumNumberInACountryNotAllowed_StillNamesPremium()
    {
        // Act
        var result = Policy.Check("+449012345678", Org("US"));

        // Assert
        Assert.Equal(DestinationPolicy.PremiumRate, result.Failure?.Code);
    }

    [Theory]
    [InlineData("+4930123456")]
    [InlineData("+442079460123")]
    [InlineData("+80012345678")]
    public void Check_CountryNotAllowedForTheOrg_Refuses(string to)
    {
        // Act
        var result = Policy.Check(to, Org("US", "CA"));

        // Assert
        Assert.Equal(DestinationPolicy.CountryNotAllowed, result.Failure?.Code);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("+1-800-FLOWERS")]
    [InlineData("+1 201 555 O123")]
    [InlineData("2015550123")]
    [InlineData("0044 20 7946 0123")]
    [InlineData("+")]
    [InlineData("++12015550123")]
    [InlineData("+1201555012")]
    [InlineData("+1 201 555 0123; +19002345678")]
    [InlineData("+12015550123#")]
    [InlineData("sip:+12015550123@example.com")]
    public void Check_NotAnE164Number_RefusesAsMalformed(string? to)
    {
        // Act
        var result = Policy.Check(to, Org());

        // Assert
        Assert.Equal(DestinationPolicy.Malformed, result.Failure?.Code);
    }

    [Theory]
    [InlineData("+1234567890123456")]
    [InlineData("+12015550123000000000")]
    [InlineData("+1 201 555 0123                   ")]
    [InlineData("+1  (201)  555  -  0123  -  -  -  -  ")]
    public void Check_OverlongInput_RefusesAsTooLong(string to)
    {
        // Act
        var result = Policy.Check(to, Org());

        // Assert
        Assert.Equal(DestinationPolicy.TooLong, result.Failure?.Code);
    }

    [Fact]
    public void Check_FifteenDigits_IsNotTooLong()
    {
        // Act
        var result = Policy.Check("+123456789012345", Org());

        // Assert
        Assert.NotEqual(DestinationPolicy.TooLong, result.Failure?.Code);
    }

    [Theory]
    [InlineData("911", "US")]
    [InlineData("112", "US")]
    [InlineData("999", "GB")]
    [InlineData("112", "GB")]
    [InlineData("+1911", "US")]
    public void Check_EmergencyNumberOrShortCode_RefusesAsNotDialable(string to, string region)
    {
        // Act
        var result = Policy.Check(to, Org(region));

        // Assert
        Assert.Equal(DestinationPolicy.NotDialable, result.Failure?.Code);
    }
}
