using PhoneNumbers;
using Playbooks.Calling.Recordings;

namespace Playbooks.Calling.Tests.Recordings;

public class NanpRegionsTests
{
    // libphonenumber's geocoder names a +1 number's place as a state or province, or as "City, ST".
    private static readonly Dictionary<string, string> Places = new(StringComparer.Ordinal)
    {
        ["Alabama"] = "US-AL", ["Alaska"] = "US-AK", ["Arizona"] = "US-AZ", ["Arkansas"] = "US-AR", ["California"] = "US-CA",
        ["Colorado"] = "US-CO", ["Connecticut"] = "US-CT", ["Delaware"] = "US-DE", ["Washington D.C."] = "US-DC", ["Florida"] = "US-FL",
        ["Georgia"] = "US-GA", ["Hawaii"] = "US-HI", ["Idaho"] = "US-ID", ["Illinois"] = "US-IL", ["Indiana"] = "US-IN", ["Iowa"] = "US-IA",
        ["Kansas"] = "US-KS", ["Kentucky"] = "US-KY", ["Louisiana"] = "US-LA", ["Maine"] = "US-ME", ["Maryland"] = "US-MD",
        ["Massachusetts"] = "US-MA", ["Michigan"] = "US-MI", ["Minnesota"] = "US-MN", ["Mississippi"] = "US-MS", ["Missouri"] = "US-MO",
        ["Montana"] = "US-MT", ["Nebraska"] = "US-NE", ["Nevada"] = "US-NV", ["New Hampshire"] = "US-NH", ["New Jersey"] = "US-NJ",
        ["New Mexico"] = "US-NM", ["New York"] = "US-NY", ["North Carolina"] = "US-NC", ["North Dakota"] = "US-ND", ["Ohio"] = "US-OH",
        ["Oklahoma"] = "US-OK", ["Oregon"] = "US-OR", ["Pennsylvania"] = "US-PA", ["Rhode Island"] = "US-RI", ["South Carolina"] = "US-SC",
        ["South Dakota"] = "US-SD", ["Tennessee"] = "US-TN", ["Texas"] = "US-TX", ["Utah"] = "US-UT", ["Vermont"] = "US-VT",
        ["Virginia"] = "US-VA", ["Washington"] = "US-WA", ["Washington State"] = "US-WA", ["West Virginia"] = "US-WV", ["Wisconsin"] = "US-WI",
        ["Wyoming"] = "US-WY", ["Alberta"] = "CA-AB", ["British Columbia"] = "CA-BC", ["British Colombia"] = "CA-BC", ["Manitoba"] = "CA-MB",
        ["New Brunswick"] = "CA-NB", ["Newfoundland and Labrador"] = "CA-NL", ["Nova Scotia"] = "CA-NS",
        ["Nova Scotia/Prince Edward Island"] = "CA-NS", ["Ontario"] = "CA-ON", ["Quebec"] = "CA-QC", ["Saskatchewan"] = "CA-SK",
        ["Northwest Territories/Nunavut/Yukon"] = "CA-NT",
    };

    [Theory]
    [InlineData("US-AL", 205, 334, 938)]
    [InlineData("US-AK", 907)]
    [InlineData("US-AZ", 480, 602, 928)]
    [InlineData("US-AR", 327, 501, 870)]
    [InlineData("US-CA", 209, 357, 650, 951)]
    [InlineData("US-CO", 303, 748, 983)]
    [InlineData("US-CT", 203, 860, 959)]
    [InlineData("US-DE", 302)]
    [InlineData("US-DC", 202, 771)]
    [InlineData("US-FL", 239, 689, 954)]
    [InlineData("US-GA", 229, 706, 943)]
    [InlineData("US-HI", 808)]
    [InlineData("US-ID", 208, 986)]
    [InlineData("US-IL", 217, 630, 872)]
    [InlineData("US-IN", 219, 574, 930)]
    [InlineData("US-IA", 319, 563, 712)]
    [InlineData("US-KS", 316, 785, 913)]
    [InlineData("US-KY", 270, 502, 859)]
    [InlineData("US-LA", 225, 457, 985)]
    [InlineData("US-ME", 207)]
    [InlineData("US-MD", 227, 410, 667)]
    [InlineData("US-MA", 339, 617, 978)]
    [InlineData("US-MI", 231, 616, 989)]
    [InlineData("US-MN", 218, 651, 952)]
    [InlineData("US-MS", 228, 662, 769)]
    [InlineData("US-MO", 235, 573, 975)]
    [InlineData("US-MT", 406)]
    [InlineData("US-NE", 308, 402, 531)]
    [InlineData("US-NV", 702, 725, 775)]
    [InlineData("US-NH", 603)]
    [InlineData("US-NJ", 201, 848, 973)]
    [InlineData("US-NM", 505, 575)]
    [InlineData("US-NY", 212, 631, 934)]
    [InlineData("US-NC", 252, 828, 984)]
    [InlineData("US-ND", 701)]
    [InlineData("US-OH", 216, 419, 937)]
    [InlineData("US-OK", 405, 572, 918)]
    [InlineData("US-OR", 458, 541, 971)]
    [InlineData("US-PA", 215, 570, 878)]
    [InlineData("US-RI", 401)]
    [InlineData("US-SC", 803, 843, 864)]
    [InlineData("US-SD", 605)]
    [InlineData("US-TN", 423, 731, 931)]
    [InlineData("US-TX", 210, 726, 979)]
    [InlineData("US-UT", 385, 435, 801)]
    [InlineData("US-VT", 802)]
    [InlineData("US-VA", 276, 703, 948)]
    [InlineData("US-WA", 206, 425, 564)]
    [InlineData("US-WV", 304, 681)]
    [InlineData("US-WI", 262, 534, 920)]
    [InlineData("US-WY", 307)]
    [InlineData("CA-AB", 368, 587, 825)]
    [InlineData("CA-BC", 236, 257, 604, 778)]
    [InlineData("CA-MB", 204, 431, 584)]
    [InlineData("CA-NB", 428, 506)]
    [InlineData("CA-NL", 709, 879)]
    [InlineData("CA-NS", 782, 902)]
    [InlineData("CA-ON", 226, 548, 942)]
    [InlineData("CA-QC", 263, 273, 450, 873)]
    [InlineData("CA-SK", 306, 474, 639)]
    [InlineData("CA-NT", 867)]
    public void RegionOf_SampleAreaCodesOfEachStateAndProvince_IsThatRegion(string region, params int[] areaCodes)
    {
        // Act
        var regions = areaCodes.Select(code => NanpRegions.RegionOf($"+1{code}5550100")).ToList();

        // Assert
        Assert.All(regions, r => Assert.Equal(region, r));
    }

    [Theory]
    [InlineData("+18005550100")] // toll-free
    [InlineData("+19005550100")] // premium rate
    [InlineData("+15005550100")] // personal communications services
    [InlineData("+18095550100")] // Dominican Republic: a NANP member, not a US state
    [InlineData("+442071838750")]
    public void RegionOf_NonGeographicOrOutsideUsAndCanada_IsNull(string number)
    {
        Assert.Null(NanpRegions.RegionOf(number));
    }

    [Fact]
    public void RegionOf_EveryAreaCodeLibphonenumberPlaces_AgreesWithItsStateOrProvince()
    {
        // Arrange: Google's numbering metadata, kept up to date from the numbering administrators' lists.
        var util = PhoneNumberUtil.GetInstance();
        var geocoder = PhoneNumberOfflineGeocoder.GetInstance();
        var disagreements = new List<string>();

        // Act
        for (var areaCode = 200; areaCode <= 999; areaCode++)
        {
            var number = util.Parse($"+1{areaCode}2345678", null);
            if (util.GetRegionCodeForNumber(number) is not ("US" or "CA")) continue;
            var place = geocoder.GetDescriptionForNumber(number, Locale.English);
            var expected = Places.GetValueOrDefault(place)
                ?? (place.LastIndexOf(", ", StringComparison.Ordinal) is var comma and > 0
                    ? $"{util.GetRegionCodeForNumber(number)}-{place[(comma + 2)..]}"
                    : null);
            if (expected is null) continue; // not geographic ("Canada", "United States")
            if (NanpRegions.RegionOf($"+1{areaCode}2345678") != expected)
            {
                disagreements.Add($"{areaCode}: {place} is {expected}, the table says {NanpRegions.RegionOf($"+1{areaCode}2345678") ?? "nothing"}");
            }
        }

        // Assert
        Assert.Empty(disagreements);
    }
}
