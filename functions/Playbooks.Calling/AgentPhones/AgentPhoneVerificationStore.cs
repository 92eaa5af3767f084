using Azure;
using Azure.Data.Tables;
using Playbooks.Calling.Storage;

namespace Playbooks.Calling.AgentPhones;

/// <summary>One row per person (PartitionKey org, RowKey user) in the AgentPhoneVerifications table.</summary>
public class AgentPhoneVerificationStore(TableServiceClient tables)
{
    private TableClient Table => tables.GetTableClient(TableNames.AgentPhoneVerifications);

    public virtual async Task<AgentPhoneVerification?> GetAsync(string orgId, string userId, CancellationToken cancellationToken = default) =>
        (await TableQueries.GetOrNullAsync<AgentPhoneVerificationEntity>(Table, orgId, userId, cancellationToken))?.ToVerification();

    /// <summary>Saves the verification if nobody changed it since <see cref="AgentPhoneVerification.Version"/> (null: if there is none yet); false when someone did.</summary>
    public virtual async Task<AgentPhoneVerification?> SaveAsync(AgentPhoneVerification verification, CancellationToken cancellationToken = default)
    {
        var entity = AgentPhoneVerificationEntity.From(verification);
        try
        {
            var response = verification.Version is { } version
                ? await Table.UpdateEntityAsync(entity, new ETag(version), TableUpdateMode.Replace, cancellationToken)
                : await Table.AddEntityAsync(entity, cancellationToken);
            return verification with { Version = TableQueries.VersionOf(response) };
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412 or 404)
        {
            return null;
        }
    }
}
