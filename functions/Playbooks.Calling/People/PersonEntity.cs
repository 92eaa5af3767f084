using Azure;
using Azure.Data.Tables;
using Playbooks.Calling.Orgs;
using Playbooks.Calling.Storage;

namespace Playbooks.Calling.People;

internal sealed class PersonEntity : ITableEntity
{
    public string PartitionKey { get; set; } = "";
    public string RowKey { get; set; } = "";
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }

    public string DisplayName { get; set; } = "";
    public string? Email { get; set; }
    public string? TeamId { get; set; }
    public string? PermissionGroupId { get; set; }
    public string CallingPreference { get; set; } = "phone";
    public string? AgentPhoneNumber { get; set; }
    public bool AgentPhoneVerified { get; set; }
    public string Roles { get; set; } = "[]";

    public static PersonEntity From(Person person) => new()
    {
        PartitionKey = person.OrgId,
        RowKey = person.UserId,
        DisplayName = person.DisplayName,
        Email = person.Email,
        TeamId = person.TeamId,
        PermissionGroupId = person.PermissionGroupId,
        CallingPreference = person.CallingPreference.ToWire(),
        AgentPhoneNumber = person.AgentPhoneNumber,
        AgentPhoneVerified = person.AgentPhoneVerified && person.AgentPhoneNumber is not null,
        Roles = JsonColumns.ToJson(person.Roles),
    };

    public Person ToPerson() => new()
    {
        OrgId = PartitionKey,
        UserId = RowKey,
        DisplayName = DisplayName,
        Email = Email,
        TeamId = TeamId,
        PermissionGroupId = PermissionGroupId,
        CallingPreference = CallingMethodNames.TryParse(CallingPreference, out var m) ? m : CallingMethod.Phone,
        AgentPhoneNumber = AgentPhoneNumber,
        AgentPhoneVerified = AgentPhoneVerified && AgentPhoneNumber is not null,
        Roles = JsonColumns.ToList(Roles),
        Version = ETag.ToString(),
    };
}
