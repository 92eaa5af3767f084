namespace Playbooks.Calling.Network;

/// <summary>An inclusive IPv4 range as the source document lists it ("first – last").</summary>
public sealed record IpRange(string First, string Last);

/// <summary>A host the browser must reach for signaling (WSS over TLS).</summary>
public sealed record SignalingHost(string Host, string Protocol, string Ports, string Purpose);

/// <summary>Destination IP ranges, the protocol and the destination ports of one kind of traffic to one edge location.</summary>
public sealed record TrafficRule(string Protocol, string Ports, IReadOnlyList<IpRange> Ranges);

/// <summary>
/// A Twilio edge location: the source document's name and region code, the edge name the Voice SDK and org settings use
/// (null where the SDK has none), its media ranges (null where the source lists STUN only) and its STUN ranges.
/// </summary>
public sealed record EdgeLocation(string Name, string Region, string? Edge, TrafficRule? Media, TrafficRule Stun);

public sealed record EncryptionFacts(string Signaling, string Media);

public sealed record QualityTargets(int MaxRttMs, int MaxJitterMs, int BandwidthKbps, string Note);

public sealed record GllGuidance(
    string Summary, IReadOnlyList<string> DnsRequirements, IReadOnlyList<string> CheckCommands, string SupportedWhen, string Caveat);

/// <summary>What a firewall and network must allow for computer-based calling, for the edges asked about.</summary>
public sealed record NetworkRequirements(
    IReadOnlyList<string> Edges,
    IReadOnlyList<SignalingHost> Signaling,
    IReadOnlyList<EdgeLocation> Locations,
    string SourcePorts,
    string Firewall,
    string QualityOfService,
    EncryptionFacts Encryption,
    QualityTargets Quality,
    GllGuidance? Gll,
    IReadOnlyList<string> Vpn);
