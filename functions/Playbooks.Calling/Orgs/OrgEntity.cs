using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Playbooks.Calling.Storage;

namespace Playbooks.Calling.Orgs;

/// <summary>An org's row: PartitionKey = orgId like every other table, one row per org.</summary>
internal sealed class OrgEntity : ITableEntity
{
    public const string SettingsRowKey = "org";

    public string PartitionKey { get; set; } = "";
    public string RowKey { get; set; } = SettingsRowKey;
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }

    public string Name { get; set; } = "";
    public string? ParentOrgId { get; set; }
    public bool ComputerCallingEnabled { get; set; }
    public string DefaultCallingPreference { get; set; } = "phone";
    public string? DefaultPermissionGroupId { get; set; }
    public string Recording { get; set; } = "off";
    public string Edges { get; set; } = "[]";
    public string CodecPreferences { get; set; } = "[]";
    public string? CallerId { get; set; }
    public string AllowedCountries { get; set; } = "[]";
    public int? MaxCallMinutes { get; set; }
    public string? RecordingJurisdictions { get; set; }
    public string? DisclosureText { get; set; }
    public string? DisclosureAudioUrl { get; set; }
    public bool? LocalPresence { get; set; }

    public static OrgEntity From(OrgSettings org) => new()
    {
        PartitionKey = org.OrgId,
        Name = org.Name,
        ParentOrgId = org.ParentOrgId,
        ComputerCallingEnabled = org.ComputerCallingEnabled,
        DefaultCallingPreference = org.DefaultCallingPreference.ToWire(),
        DefaultPermissionGroupId = org.DefaultPermissionGroupId,
        Recording = RecordingModes.ToWire(org.Recording),
        Edges = JsonColumns.ToJson(org.Edges),
        CodecPreferences = JsonColumns.ToJson(org.CodecPreferences),
        CallerId = org.CallerId,
        AllowedCountries = JsonColumns.ToJson(org.AllowedCountries),
        MaxCallMinutes = org.MaxCallMinutes,
        RecordingJurisdictions = org.RecordingJurisdictions.Count == 0 ? null : JsonSerializer.Serialize(org.RecordingJurisdictions, PlaybooksJson.Options),
        DisclosureText = org.DisclosureText,
        DisclosureAudioUrl = org.DisclosureAudioUrl,
        LocalPresence = org.LocalPresence,
    };

    public OrgSettings ToOrg() => new()
    {
        OrgId = PartitionKey,
        Name = Name,
        ParentOrgId = ParentOrgId,
        ComputerCallingEnabled = ComputerCallingEnabled,
        DefaultCallingPreference = CallingMethodNames.TryParse(DefaultCallingPreference, out var m) ? m : CallingMethod.Phone,
        DefaultPermissionGroupId = DefaultPermissionGroupId,
        Recording = RecordingModes.TryParse(Recording, out var r) ? r : RecordingMode.Off,
        Edges = JsonColumns.ToList(Edges),
        CodecPreferences = JsonColumns.ToList(CodecPreferences),
        CallerId = CallerId,
        AllowedCountries = JsonColumns.ToList(AllowedCountries),
        MaxCallMinutes = MaxCallMinutes ?? OrgSettings.DefaultMaxCallMinutes,
        RecordingJurisdictions = RecordingJurisdictions is { Length: > 0 } json
            ? JsonSerializer.Deserialize<Dictionary<string, string>>(json, PlaybooksJson.Options) ?? []
            : new Dictionary<string, string>(),
        DisclosureText = DisclosureText,
        DisclosureAudioUrl = DisclosureAudioUrl,
        LocalPresence = LocalPresence ?? false,
        Version = ETag.ToString(),
    };
}
