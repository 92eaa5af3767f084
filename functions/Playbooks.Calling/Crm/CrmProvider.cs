using System.Text.Json.Serialization;

namespace Playbooks.Calling.Crm;

/// <summary>Which CRM an org's activities are written to.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CrmProvider>))]
public enum CrmProvider
{
    [JsonStringEnumMemberName("none")] None,
    [JsonStringEnumMemberName("salesforce")] Salesforce,
    [JsonStringEnumMemberName("dynamics")] Dynamics,
}

public static class CrmProviderNames
{
    public static string ToWire(this CrmProvider provider) => provider switch
    {
        CrmProvider.Salesforce => "salesforce",
        CrmProvider.Dynamics => "dynamics",
        _ => "none",
    };

    public static bool TryParse(string? value, out CrmProvider provider)
    {
        provider = value switch
        {
            "none" => CrmProvider.None,
            "salesforce" => CrmProvider.Salesforce,
            "dynamics" => CrmProvider.Dynamics,
            _ => (CrmProvider)(-1),
        };
        return Enum.IsDefined(provider);
    }
}
