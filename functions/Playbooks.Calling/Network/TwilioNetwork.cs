namespace Playbooks.Calling.Network;

/// <summary>
/// The source document's "Network Configuration" table for Twilio's Programmable Voice infrastructure,
/// transcribed as data. Ranges are inclusive and exactly as the source lists them.
/// </summary>
public static class TwilioNetwork
{
    public const string Roaming = "roaming";
    public const string MediaPorts = "10000-20000";
    public const string StunPorts = "443, 3478 (TCP and UDP), 5349 TCP";

    /// <summary>Regions with a regional signaling gateway <c>chunderw-vpc-gll-{region}.twilio.com</c>.</summary>
    public static IReadOnlyList<string> SignalingRegions { get; } = ["au1", "br1", "de1", "ie1", "jp1", "sg1", "us1"];

    public static IReadOnlyList<SignalingHost> GlobalSignaling { get; } =
    [
        new("chunderw-gll.twilio.com", "TCP", "443", "Secure TLS connection to the Twilio signaling gateway"),
        new("chunderw-vpc-gll.twilio.com", "TCP", "443", "Secure TLS connection to the Twilio signaling gateway"),
        new("eventgw.twilio.com", "TCP", "443", "Secure TLS connection to the Insights logging gateway"),
    ];

    public static SignalingHost RegionalSignaling(string region) =>
        new($"chunderw-vpc-gll-{region}.twilio.com", "TCP", "443", "Secure TLS connection to the Twilio regional signaling gateway");

    public static IReadOnlyList<EdgeLocation> Locations { get; } =
    [
        Location("sydney", "au1", "sydney",
            media: [R("54.252.254.64", "54.252.254.127"), R("3.104.90.0", "3.104.90.255")],
            stun: [R("13.210.2.128", "13.210.2.159"), R("54.252.254.64", "54.252.254.127"), R("3.25.42.128", "3.25.42.255")]),
        Location("sao-paulo", "br1", "sao-paulo",
            media: [R("177.71.206.192", "177.71.206.255"), R("18.228.249.0", "18.228.249.255")],
            stun: [R("18.231.105.32", "18.231.105.63"), R("177.71.206.192", "177.71.206.255"), R("18.230.125.0", "18.230.125.127")]),
        Location("dublin", "ie1", "dublin",
            media: [R("54.171.127.192", "54.171.127.255"), R("52.215.127.0", "52.215.127.255")],
            stun: [R("52.215.253.0", "52.215.253.63"), R("54.171.127.192", "54.171.127.255"), R("52.215.127.0", "52.215.127.255"), R("3.249.63.128", "3.249.63.255")]),
        Location("frankfurt", "de1", "frankfurt",
            media: [R("35.156.191.128", "35.156.191.255"), R("3.122.181.0", "3.122.181.255")],
            stun: [R("52.59.186.0", "52.59.186.31"), R("18.195.48.224", "18.195.48.255"), R("18.156.18.128", "18.156.18.255")]),
        Location("tokyo", "jp1", "tokyo",
            media: [R("54.65.63.192", "54.65.63.255"), R("3.112.80.0", "3.112.80.255")],
            stun: [R("13.115.244.0", "13.115.244.31"), R("54.65.63.192", "54.65.63.255"), R("18.180.220.128", "18.180.220.255")]),
        Location("singapore", "sg1", "singapore",
            media: [R("54.169.127.128", "54.169.127.191"), R("3.1.77.0", "3.1.77.255")],
            stun: [R("13.229.255.0", "13.229.255.31"), R("54.169.127.128", "54.169.127.191"), R("18.141.157.128", "18.141.157.255")]),
        Location("india", "in1", null,
            media: null,
            stun: [R("52.66.193.96", "52.66.193.127"), R("52.66.194.0", "52.66.194.63"), R("3.7.35.128", "3.7.35.255")]),
        Location("ashburn", "us1", "ashburn",
            media: [R("54.172.60.0", "54.172.61.255"), R("34.203.250.0", "34.203.251.255")],
            stun: [R("34.203.254.0", "34.203.254.255"), R("54.172.60.0", "54.172.61.255"), R("34.203.250.0", "34.203.251.255"), R("3.235.111.128", "3.235.111.255")]),
        // The source calls us2 "oregon"; the Voice SDK's edge name for it is "umatilla".
        Location("oregon", "us2", "umatilla",
            media: null,
            stun: [R("34.216.110.128", "34.216.110.159"), R("54.244.51.0", "54.244.51.255"), R("44.234.69.0", "44.234.69.127")]),
    ];

    public static EncryptionFacts Encryption { get; } = new(
        "Signaling runs over a WebSocket: WSS (TLS 1.2) to TCP port 443.",
        "Media runs over UDP, encrypted with DTLS-SRTP (AES_CM_128_HMAC_SHA1_80).");

    public static QualityTargets Quality { get; } = new(200, 30, 100,
        "Latency (RTT) under 200 ms and jitter under 30 ms give reasonable audio; a call uses about 100 kbps, within the 1 Mbps Playbooks needs.");

    public const string SourcePorts = "Any: the browser picks a port from the ephemeral range, on most machines 1024-65535.";

    public const string Firewall =
        "The browser opens every connection, so allow outgoing TCP and UDP to these destinations and the return traffic; do not allow connections initiated from outside.";

    public const string QualityOfService = "Prioritise this signaling and media traffic on the local network for the best call quality.";

    public static GllGuidance Gll { get; } = new(
        "Roaming (Global Low Latency) uses AWS Route 53 latency-based DNS to pick the nearest edge, so the network must allow every edge location's ranges.",
        [
            "The intermediate DNS must support RFC 7871 (Client Subnet in DNS Queries).",
            "The intermediate DNS must be in the same edge as the user: a host in the US using a VPN or DNS server in Europe connects to a Twilio edge in Europe.",
        ],
        ["dig edns-client-sub.net TXT", "nslookup -type=txt edns-client-sub.net"],
        "The DNS supports GLL when the answer has ecs set to True and contains an ecs_payload object; ecs False means it does not.",
        "Without RFC 7871 support and with an anycast upstream DNS (e.g. 8.8.8.8), Route 53 may not pick the best edge.");

    public static IReadOnlyList<string> Vpn { get; } =
    [
        "Behind NAT the browser reaches the nearest STUN server; over a VPN it reaches the edge nearest the VPN's exit, which can be far from the user and hurt audio.",
        "On VPN networks allow the STUN ranges of every edge location, so a different edge resolving never leaves a call without audio.",
        "If VPN problems persist, have the IT team that runs the VPN set up a split tunnel that keeps computer-based calling traffic out of the VPN.",
    ];

    private static EdgeLocation Location(string name, string region, string? edge, IReadOnlyList<IpRange>? media, IReadOnlyList<IpRange> stun) =>
        new(name, region, edge, media is null ? null : new TrafficRule("UDP", MediaPorts, media), new TrafficRule("TCP and UDP", StunPorts, stun));

    private static IpRange R(string first, string last) => new(first, last);
}
