using Azure;
using Azure.Data.Tables;
using Playbooks.Calling.OrgDirectory;
using Playbooks.Calling.Storage;

namespace Playbooks.Calling.People;

public class PersonStore(TableServiceClient tables)
{
    private TableClient Table => tables.GetTableClient(TableNames.People);

    public virtual async Task<Person?> GetAsync(string orgId, string userId, CancellationToken cancellationToken = default) =>
        (await TableQueries.GetOrNullAsync<PersonEntity>(Table, orgId, userId, cancellationToken))?.ToPerson();

    /// <summary>
    /// Ordered by user id. Team filters run in Table Storage; the search (case-insensitive "contains" on name or email)
    /// runs in memory over the org's partition, which is fine at the size of a sales org.
    /// </summary>
    public virtual Task<PagedList<Person>> ListAsync(string orgId, PeopleFilter filter, PageRequest page, CancellationToken cancellationToken = default)
    {
        if (filter.TeamIds is { Count: 0 })
        {
            return Task.FromResult(new PagedList<Person>([], null));
        }
        var serverFilter = filter.TeamIds is null ? null : TableQueries.AnyOf(nameof(PersonEntity.TeamId), filter.TeamIds);
        var search = filter.Search?.Trim();
        Func<Person, bool>? keep = string.IsNullOrEmpty(search) ? null : p => Matches(p, search);
        return TableQueries.ReadPageAsync<PersonEntity, Person>(Table, orgId, serverFilter, page, e => e.ToPerson(), keep, cancellationToken);
    }

    public virtual async Task<int> CountInGroupAsync(string orgId, string groupId, CancellationToken cancellationToken = default)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {orgId} and PermissionGroupId eq {groupId}");
        var count = 0;
        await foreach (var _ in Table.QueryAsync<PersonEntity>(filter, 1000, [nameof(PersonEntity.RowKey)], cancellationToken))
        {
            count++;
        }
        return count;
    }

    /// <summary>Adds the person; if they already exist (a concurrent first sign-in), returns the stored row instead.</summary>
    public virtual async Task<(Person Person, bool Created)> CreateOrGetAsync(Person person, CancellationToken cancellationToken = default)
    {
        try
        {
            var response = await Table.AddEntityAsync(PersonEntity.From(person), cancellationToken);
            return (person with { Version = TableQueries.VersionOf(response) }, true);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return ((await GetAsync(person.OrgId, person.UserId, cancellationToken))!, false);
        }
    }

    public virtual async Task<Result<Person>> UpdateAsync(Person person, string version, CancellationToken cancellationToken = default)
    {
        if (!TableQueries.IsWellFormedVersion(version))
        {
            return Failure.StaleEdit($"{person.DisplayName}'s settings");
        }
        try
        {
            var response = await Table.UpdateEntityAsync(PersonEntity.From(person), new ETag(version), TableUpdateMode.Replace, cancellationToken);
            return person with { Version = TableQueries.VersionOf(response) };
        }
        catch (RequestFailedException e) when (e.Status == 412)
        {
            return Failure.StaleEdit($"{person.DisplayName}'s settings");
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return Failure.NotFound("Person");
        }
    }

    public virtual async Task<Person> UpsertAsync(Person person, CancellationToken cancellationToken = default)
    {
        var response = await Table.UpsertEntityAsync(PersonEntity.From(person), TableUpdateMode.Replace, cancellationToken);
        return person with { Version = TableQueries.VersionOf(response) };
    }

    private static bool Matches(Person person, string search) =>
        person.DisplayName.Contains(search, StringComparison.OrdinalIgnoreCase)
        || (person.Email?.Contains(search, StringComparison.OrdinalIgnoreCase) ?? false);
}
