using System.Text.RegularExpressions;
using Playbooks.Calling.Network;

namespace Playbooks.Calling.Quality;

/// <summary>A validated report's fields, before it gets an id, a time and a reporter.</summary>
public sealed record ValidQualityReport(
    string CallSid, int Score, IReadOnlyList<string> Issues, string? Comment, IReadOnlyList<CallSample> Samples, string? Edge);

/// <summary>Checks a report field by field, refusing the first invalid one by name.</summary>
public static partial class QualityReportValidation
{
    public const int MaxSamples = 60;
    public const int MaxCommentLength = 1000;

    /// <summary>Twilio's call feedback issues.</summary>
    public static IReadOnlyList<string> KnownIssues { get; } =
        ["audio-latency", "choppy-audio", "dropped-call", "echo", "noisy-call", "one-way-audio"];

    public static Result<ValidQualityReport> Validate(QualityReportInput input)
    {
        var callSid = input.CallSid?.Trim() ?? "";
        if (!CallSidPattern().IsMatch(callSid))
        {
            return Failure.Invalid("callSid", "callSid must be a Twilio call SID: CA followed by 32 hexadecimal characters.");
        }
        if (input.Score is not (>= 1 and <= 5))
        {
            return Failure.Invalid("score", "score must be a whole number from 1 (worst) to 5 (best).");
        }
        var issues = new List<string>();
        foreach (var issue in input.Issues ?? [])
        {
            var name = issue?.Trim().ToLowerInvariant() ?? "";
            if (!KnownIssues.Contains(name))
            {
                return Failure.Invalid("issues", $"'{issue}' is not a call quality issue. Use: {string.Join(", ", KnownIssues)}.", "unknown-issue");
            }
            if (!issues.Contains(name))
            {
                issues.Add(name);
            }
        }
        var comment = string.IsNullOrWhiteSpace(input.Comment) ? null : input.Comment.Trim();
        if (comment?.Length > MaxCommentLength)
        {
            return Failure.Invalid("comment", $"comment must be at most {MaxCommentLength} characters.");
        }
        var samples = input.Samples ?? [];
        if (samples.Count > MaxSamples)
        {
            return Failure.Invalid("samples", $"samples may hold at most {MaxSamples} samples (one minute of the SDK's per-second samples).");
        }
        for (var i = 0; i < samples.Count; i++)
        {
            if (Sample(samples[i], $"samples[{i}]") is { } invalid)
            {
                return invalid;
            }
        }
        string? edge = null;
        if (!string.IsNullOrWhiteSpace(input.Edge))
        {
            edge = NetworkRequirementsService.Resolve(input.Edge);
            if (edge is null)
            {
                return Failure.Invalid("edge", $"'{input.Edge}' is not an edge location.", "unknown-edge");
            }
        }
        return new ValidQualityReport(callSid, input.Score.Value, issues, comment, samples, edge);
    }

    private static Failure? Sample(CallSample? sample, string field)
    {
        if (sample is null)
        {
            return Failure.Invalid(field, $"{field} must be an object.");
        }
        (string Name, double? Value)[] measurements =
        [
            ("timestamp", sample.Timestamp), ("rtt", sample.Rtt), ("jitter", sample.Jitter), ("packetsLost", sample.PacketsLost),
            ("packetsReceived", sample.PacketsReceived), ("bytesReceived", sample.BytesReceived), ("bytesSent", sample.BytesSent),
            ("audioInputLevel", sample.AudioInputLevel), ("audioOutputLevel", sample.AudioOutputLevel),
        ];
        foreach (var (name, value) in measurements)
        {
            if (value is < 0)
            {
                return Failure.Invalid($"{field}.{name}", $"{field}.{name} must not be negative.");
            }
        }
        if (sample.Mos is < 1 or > 5)
        {
            return Failure.Invalid($"{field}.mos", $"{field}.mos must be between 1 and 5.");
        }
        if (sample.PacketsLostFraction is < 0 or > 100)
        {
            return Failure.Invalid($"{field}.packetsLostFraction", $"{field}.packetsLostFraction must be a percentage between 0 and 100.");
        }
        if (sample.CodecName?.Length > 32)
        {
            return Failure.Invalid($"{field}.codecName", $"{field}.codecName must be at most 32 characters.");
        }
        return null;
    }

    [GeneratedRegex("^CA[0-9a-fA-F]{32}$")]
    private static partial Regex CallSidPattern();
}
