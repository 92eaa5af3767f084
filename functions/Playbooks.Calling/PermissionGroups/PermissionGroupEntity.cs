using Azure;
using Azure.Data.Tables;

namespace Playbooks.Calling.PermissionGroups;

internal sealed class PermissionGroupEntity : ITableEntity
{
    public string PartitionKey { get; set; } = "";
    public string RowKey { get; set; } = "";
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }

    public string Name { get; set; } = "";
    public bool AllowComputer { get; set; }
    public bool AllowPhone { get; set; }

    public static PermissionGroupEntity From(PermissionGroup group) => new()
    {
        PartitionKey = group.OrgId,
        RowKey = group.Id,
        Name = group.Name,
        AllowComputer = group.AllowComputer,
        AllowPhone = group.AllowPhone,
    };

    public PermissionGroup ToGroup() => new()
    {
        OrgId = PartitionKey,
        Id = RowKey,
        Name = Name,
        AllowComputer = AllowComputer,
        AllowPhone = AllowPhone,
        Version = ETag.ToString(),
    };
}
