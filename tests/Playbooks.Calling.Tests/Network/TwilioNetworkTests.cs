using System.Net;
using System.Text.RegularExpressions;
using Playbooks.Calling.Network;

namespace Playbooks.Calling.Tests.Network;

public partial class TwilioNetworkTests
{
    // Rows copied verbatim from the source document's "Network Configuration" table.
    public static TheoryData<string, string, string> SourceRows => new()
    {
        { "sydney (au1)", "media", "54.252.254.64 – 54.252.254.127,\n3.104.90.0 – 3.104.90.255" },
        { "dublin (ie1)", "stun", "52.215.253.0 – 52.215.253.63,\n54.171.127.192 – 54.171.127.255,\n52.215.127.0 – 52.215.127.255,\n3.249.63.128 – 3.249.63.255" },
        { "india (in1)", "stun", "52.66.193.96 – 52.66.193.127,\n52.66.194.0 – 52.66.194.63,\n3.7.35.128 – 3.7.35.255" },
        { "ashburn (us1)", "media", "54.172.60.0 – 54.172.61.255,\n34.203.250.0 – 34.203.251.255" },
        { "ashburn (us1)", "stun", "34.203.254.0 – 34.203.254.255,\n54.172.60.0 – 54.172.61.255,\n34.203.250.0 – 34.203.251.255,\n3.235.111.128 – 3.235.111.255" },
        { "oregon (us2)", "stun", "34.216.110.128 – 34.216.110.159,\n54.244.51.0 – 54.244.51.255,\n44.234.69.0 – 44.234.69.127" },
    };

    [Theory]
    [MemberData(nameof(SourceRows))]
    public void Locations_SourceRow_RangesMatchExactly(string label, string kind, string sourceRanges)
    {
        // Arrange
        var match = LocationLabel().Match(label);
        var expected = sourceRanges.Split(",\n").Select(r => r.Split(" – ")).Select(p => new IpRange(p[0], p[1])).ToList();

        // Act
        var location = TwilioNetwork.Locations.Single(l => l.Name == match.Groups[1].Value && l.Region == match.Groups[2].Value);
        var rule = kind == "media" ? location.Media! : location.Stun;

        // Assert
        Assert.Equal(expected, rule.Ranges);
    }

    [Fact]
    public void Locations_EveryRange_IsValidIPv4WithFirstNotAfterLast()
    {
        var ranges = TwilioNetwork.Locations.SelectMany(l => (l.Media?.Ranges ?? []).Concat(l.Stun.Ranges));

        Assert.All(ranges, r =>
        {
            var first = IPAddress.Parse(r.First).GetAddressBytes();
            var last = IPAddress.Parse(r.Last).GetAddressBytes();
            Assert.True(first.Zip(last).Select(p => p.First.CompareTo(p.Second)).FirstOrDefault(c => c != 0) <= 0, $"{r.First} > {r.Last}");
        });
    }

    [Fact]
    public void Locations_StunOnlyEdges_AreIndiaAndOregon()
    {
        var stunOnly = TwilioNetwork.Locations.Where(l => l.Media is null).Select(l => l.Region);

        Assert.Equal(["in1", "us2"], stunOnly);
    }

    [Fact]
    public void Locations_Ports_AreTheSourcesMediaAndStunPorts()
    {
        Assert.All(TwilioNetwork.Locations, l =>
        {
            Assert.Equal("443, 3478 (TCP and UDP), 5349 TCP", l.Stun.Ports);
            if (l.Media is not null)
            {
                Assert.Equal(("UDP", "10000-20000"), (l.Media.Protocol, l.Media.Ports));
            }
        });
    }

    [Fact]
    public void Encryption_StatesTlsAndSrtpSuite()
    {
        Assert.Contains("TLS 1.2", TwilioNetwork.Encryption.Signaling);
        Assert.Contains("443", TwilioNetwork.Encryption.Signaling);
        Assert.Contains("DTLS-SRTP (AES_CM_128_HMAC_SHA1_80)", TwilioNetwork.Encryption.Media);
    }

    [GeneratedRegex(@"^(\S+) \((\w+)\)$")]
    private static partial Regex LocationLabel();
}
