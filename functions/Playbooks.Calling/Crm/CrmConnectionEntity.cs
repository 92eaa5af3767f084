using Azure;
using Azure.Data.Tables;

namespace Playbooks.Calling.Crm;

/// <summary>An org's CRM setting: PartitionKey = orgId, one row per org. A ClientSecretName column of older rows is ignored.</summary>
internal sealed class CrmConnectionEntity : ITableEntity
{
    public const string ConnectionRowKey = "connection";

    public string PartitionKey { get; set; } = "";
    public string RowKey { get; set; } = ConnectionRowKey;
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }

    public string Provider { get; set; } = "none";
    public string? InstanceUrl { get; set; }
    public string? TenantId { get; set; }
    public string? ClientId { get; set; }

    public static CrmConnectionEntity From(CrmConnection c) => new()
    {
        PartitionKey = c.OrgId,
        Provider = c.Provider.ToWire(),
        InstanceUrl = c.InstanceUrl,
        TenantId = c.TenantId,
        ClientId = c.ClientId,
    };

    public CrmConnection ToConnection() => new()
    {
        OrgId = PartitionKey,
        Provider = CrmProviderNames.TryParse(Provider, out var p) ? p : CrmProvider.None,
        InstanceUrl = InstanceUrl,
        TenantId = TenantId,
        ClientId = ClientId,
        Version = ETag.ToString(),
    };
}
