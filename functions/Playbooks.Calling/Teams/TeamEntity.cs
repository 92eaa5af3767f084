using Azure;
using Azure.Data.Tables;
using Playbooks.Calling.Storage;

namespace Playbooks.Calling.Teams;

internal sealed class TeamEntity : ITableEntity
{
    public string PartitionKey { get; set; } = "";
    public string RowKey { get; set; } = "";
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }

    public string Name { get; set; } = "";
    public string ManagerUserIds { get; set; } = "[]";

    public static TeamEntity From(Team team) => new()
    {
        PartitionKey = team.OrgId,
        RowKey = team.Id,
        Name = team.Name,
        ManagerUserIds = JsonColumns.ToJson(team.ManagerUserIds),
    };

    public Team ToTeam() => new()
    {
        OrgId = PartitionKey,
        Id = RowKey,
        Name = Name,
        ManagerUserIds = JsonColumns.ToList(ManagerUserIds),
        Version = ETag.ToString(),
    };
}
