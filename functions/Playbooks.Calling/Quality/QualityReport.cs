namespace Playbooks.Calling.Quality;

/// <summary>A rep's report of a call's quality, in the shape of Twilio's call feedback, with optional network samples.</summary>
public sealed record QualityReport
{
    public required string OrgId { get; init; }

    /// <summary>Sorts newest first within the org.</summary>
    public required string Id { get; init; }

    public required DateTimeOffset At { get; init; }

    public required string ReporterUserId { get; init; }

    public required string ReporterDisplayName { get; init; }

    /// <summary>The reporter's team when they reported, which decides which managers see it.</summary>
    public string? TeamId { get; init; }

    public required string CallSid { get; init; }

    /// <summary>1 (worst) to 5 (best).</summary>
    public required int Score { get; init; }

    public IReadOnlyList<string> Issues { get; init; } = [];

    public string? Comment { get; init; }

    public IReadOnlyList<CallSample> Samples { get; init; } = [];

    /// <summary>The edge the call used, as a canonical edge name.</summary>
    public string? Edge { get; init; }
}

/// <summary>One of the Voice SDK's per-second call quality samples; every number is optional.</summary>
public sealed record CallSample
{
    public double? Timestamp { get; init; }

    /// <summary>Round-trip time in ms.</summary>
    public double? Rtt { get; init; }

    /// <summary>Jitter in ms.</summary>
    public double? Jitter { get; init; }

    /// <summary>Mean opinion score, 1 to 5.</summary>
    public double? Mos { get; init; }

    public long? PacketsLost { get; init; }

    /// <summary>Percentage of packets lost, 0 to 100.</summary>
    public double? PacketsLostFraction { get; init; }

    public long? PacketsReceived { get; init; }

    public long? BytesReceived { get; init; }

    public long? BytesSent { get; init; }

    public double? AudioInputLevel { get; init; }

    public double? AudioOutputLevel { get; init; }

    public string? CodecName { get; init; }
}

/// <summary>A report as a rep sends it; <see cref="QualityReportValidation"/> checks every field.</summary>
public sealed record QualityReportInput(
    string? CallSid,
    int? Score,
    IReadOnlyList<string>? Issues = null,
    string? Comment = null,
    IReadOnlyList<CallSample>? Samples = null,
    string? Edge = null);
