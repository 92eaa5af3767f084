using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Playbooks.Calling.Storage;

namespace Playbooks.Calling.Quality;

internal sealed class QualityReportEntity : ITableEntity
{
    public string PartitionKey { get; set; } = "";
    public string RowKey { get; set; } = "";
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }

    public DateTimeOffset At { get; set; }
    public string ReporterUserId { get; set; } = "";
    public string ReporterDisplayName { get; set; } = "";
    public string? TeamId { get; set; }
    public string CallSid { get; set; } = "";
    public int Score { get; set; }
    public string Issues { get; set; } = "[]";
    public string? Comment { get; set; }
    public string Samples { get; set; } = "[]";
    public string? Edge { get; set; }

    /// <summary>Markers sort after every report (whose keys are digits) and are left out of lists by <see cref="ReportsOnly"/>.</summary>
    private const string MarkerPrefix = "~reported|";

    public const string ReportsOnly = "RowKey lt '~'";

    /// <summary>One per call and reporter: its existence is what refuses a second report.</summary>
    public static string MarkerRowKey(string callSid, string reporterUserId) => $"{MarkerPrefix}{callSid}|{reporterUserId}";

    /// <summary>Inverted ticks make the newest report sort first; the suffix keeps same-tick reports apart.</summary>
    public static string NewRowKey(DateTimeOffset at) =>
        $"{DateTimeOffset.MaxValue.UtcTicks - at.UtcTicks:D19}-{Guid.NewGuid():N}";

    public static QualityReportEntity From(QualityReport report) => new()
    {
        PartitionKey = report.OrgId,
        RowKey = report.Id,
        At = report.At,
        ReporterUserId = report.ReporterUserId,
        ReporterDisplayName = report.ReporterDisplayName,
        TeamId = report.TeamId,
        CallSid = report.CallSid,
        Score = report.Score,
        Issues = JsonColumns.ToJson(report.Issues),
        Comment = report.Comment,
        Samples = JsonColumns.ToJson(report.Samples),
        Edge = report.Edge,
    };

    public QualityReport ToReport() => new()
    {
        OrgId = PartitionKey,
        Id = RowKey,
        At = At,
        ReporterUserId = ReporterUserId,
        ReporterDisplayName = ReporterDisplayName,
        TeamId = TeamId,
        CallSid = CallSid,
        Score = Score,
        Issues = JsonColumns.ToList(Issues),
        Comment = Comment,
        Samples = JsonSerializer.Deserialize<List<CallSample>>(Samples, PlaybooksJson.Options) ?? [],
        Edge = Edge,
    };
}
