using System.Text.Json.Serialization;
using Playbooks.Calling.Quality;

namespace Playbooks.Functions.Quality;

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record QualityReportRequest(
    string? CallSid, int? Score, IReadOnlyList<string>? Issues, string? Comment, IReadOnlyList<CallSampleRequest?>? Samples, string? Edge)
{
    public QualityReportInput ToInput() => new(CallSid, Score, Issues, Comment, Samples?.Select(s => s?.ToSample()).ToList()!, Edge);
}

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record CallSampleRequest(
    double? Timestamp, double? Rtt, double? Jitter, double? Mos, long? PacketsLost, double? PacketsLostFraction, long? PacketsReceived,
    long? BytesReceived, long? BytesSent, double? AudioInputLevel, double? AudioOutputLevel, string? CodecName)
{
    public CallSample ToSample() => new()
    {
        Timestamp = Timestamp, Rtt = Rtt, Jitter = Jitter, Mos = Mos, PacketsLost = PacketsLost, PacketsLostFraction = PacketsLostFraction,
        PacketsReceived = PacketsReceived, BytesReceived = BytesReceived, BytesSent = BytesSent,
        AudioInputLevel = AudioInputLevel, AudioOutputLevel = AudioOutputLevel, CodecName = CodecName,
    };
}
