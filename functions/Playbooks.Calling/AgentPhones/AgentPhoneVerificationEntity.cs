using System.Text.Json;
using Azure;
using Azure.Data.Tables;

namespace Playbooks.Calling.AgentPhones;

internal sealed class AgentPhoneVerificationEntity : ITableEntity
{
    public string PartitionKey { get; set; } = "";
    public string RowKey { get; set; } = "";
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }

    public string Number { get; set; } = "";
    public string VerificationId { get; set; } = "";
    public DateTimeOffset StartedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public int Attempts { get; set; }
    public bool Closed { get; set; }
    public string RecentStarts { get; set; } = "[]";
    public string? CallSid { get; set; }
    public string? CallError { get; set; }

    public static AgentPhoneVerificationEntity From(AgentPhoneVerification v) => new()
    {
        PartitionKey = v.OrgId,
        RowKey = v.UserId,
        Number = v.Number,
        VerificationId = v.Id,
        StartedAt = v.StartedAt,
        ExpiresAt = v.ExpiresAt,
        Attempts = v.Attempts,
        Closed = v.Closed,
        RecentStarts = JsonSerializer.Serialize(v.RecentStarts.Select(t => t.ToUnixTimeSeconds()).ToArray(), PlaybooksJson.Options),
        CallSid = v.CallSid,
        CallError = v.CallError,
    };

    public AgentPhoneVerification ToVerification() => new()
    {
        OrgId = PartitionKey,
        UserId = RowKey,
        Number = Number,
        Id = VerificationId,
        StartedAt = StartedAt,
        ExpiresAt = ExpiresAt,
        Attempts = Attempts,
        Closed = Closed,
        RecentStarts = ReadStarts(RecentStarts),
        CallSid = CallSid,
        CallError = CallError,
        Version = ETag.ToString(),
    };

    private static List<DateTimeOffset> ReadStarts(string json)
    {
        try
        {
            return (JsonSerializer.Deserialize<long[]>(json, PlaybooksJson.Options) ?? []).Select(DateTimeOffset.FromUnixTimeSeconds).ToList();
        }
        catch (JsonException)
        {
            return [];
        }
    }
}
