namespace Playbooks.Calling.Storage;

/// <summary>Every table the app owns; all are created at start-up.</summary>
public static class TableNames
{
    public const string Orgs = "Orgs";
    public const string PermissionGroups = "PermissionGroups";
    public const string Teams = "Teams";
    public const string People = "People";
    public const string Audit = "Audit";
    public const string Calls = "Calls";
    public const string Activities = "Activities";
    public const string CrmConnections = "CrmConnections";
    public const string QualityReports = "QualityReports";
    public const string CallerIds = "CallerIds";
    public const string AgentPhoneVerifications = "AgentPhoneVerifications";

    public static IReadOnlyList<string> All { get; } = [Orgs, PermissionGroups, Teams, People, Audit, Calls, Activities, CrmConnections, QualityReports, CallerIds, AgentPhoneVerifications];
}
