using Azure;
using Azure.Data.Tables;

namespace Playbooks.Calling.CallerIds;

/// <summary>
/// Who holds a number: one row per E.164 number (RowKey), all in one partition, so adding a row is the claim and a
/// second org's add fails with 409 however close together the two requests come.
/// </summary>
internal sealed class CallerIdEntity : ITableEntity
{
    public const string Partition = "caller-ids";

    public string PartitionKey { get; set; } = Partition;
    public string RowKey { get; set; } = "";
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }

    public string OrgId { get; set; } = "";
    public DateTimeOffset AssignedAt { get; set; }
    public string AssignedBy { get; set; } = "";

    public CallerIdAssignment ToAssignment() => new(RowKey, OrgId, AssignedAt, AssignedBy);
}
