using Azure;
using Azure.Data.Tables;
using Playbooks.Calling.Storage;

namespace Playbooks.Calling.People;

public class PersonStore(TableServiceClient tables)
{
    private readonly DirectoryCache? _cache;

    public PersonStore(TableServiceClient tables, DirectoryCache cache) : this(tables) => _cache = cache;

    private TableClient Table => tables.GetTableClient(TableNames.People);

    public virtual Task<Person?> GetAsync(string orgId, string userId, CancellationToken cancellationToken = default) =>
        _cache.ReadThroughAsync(TableNames.People, orgId, userId,
            async ct => (await TableQueries.GetOrNullAsync<PersonEntity>(Table, orgId, userId, ct))?.ToPerson(), cancellationToken,
            readPartition: ct => TableQueries.StreamAsync<PersonEntity, (string, Person)>(Table, orgId, null, e => (e.RowKey, e.ToPerson()), ct));

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
        var search = filter.Search?.Trim();
        Func<Person, bool>? keep = string.IsNullOrEmpty(search) ? null : p => Matches(p, search);
        return TableQueries.ReadPageAsync<PersonEntity, Person>(
            Table, orgId, null, filter.TeamIds is null ? null : (nameof(PersonEntity.TeamId), filter.TeamIds), page, e => e.ToPerson(), keep, cancellationToken);
    }

    public virtual async Task<int> CountInTeamAsync(string orgId, string teamId, CancellationToken cancellationToken = default)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {orgId} and TeamId eq {teamId}");
        var count = 0;
        await foreach (var _ in Table.QueryAsync<PersonEntity>(filter, 1000, [nameof(PersonEntity.RowKey)], cancellationToken))
        {
            count++;
        }
        return count;
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

    /// <summary>The team of each member of a group (null for a member on no team), one entry per member.</summary>
    public virtual async Task<IReadOnlyList<string?>> TeamIdsInGroupAsync(string orgId, string groupId, CancellationToken cancellationToken = default)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {orgId} and PermissionGroupId eq {groupId}");
        var teamIds = new List<string?>();
        await foreach (var person in Table.QueryAsync<PersonEntity>(filter, 1000, [nameof(PersonEntity.TeamId)], cancellationToken))
        {
            teamIds.Add(person.TeamId);
        }
        return teamIds;
    }

    /// <summary>Adds the person; if they already exist (a concurrent first sign-in), returns the stored row instead.</summary>
    public virtual async Task<(Person Person, bool Created)> CreateOrGetAsync(Person person, CancellationToken cancellationToken = default)
    {
        try
        {
            var response = await Table.AddEntityAsync(PersonEntity.From(person), cancellationToken);
            _cache?.Invalidate(TableNames.People, person.OrgId, person.UserId);
            return (person with { Version = TableQueries.VersionOf(response) }, true);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            _cache?.Invalidate(TableNames.People, person.OrgId, person.UserId);
            return ((await GetAsync(person.OrgId, person.UserId, cancellationToken))!, false);
        }
    }

    public virtual async Task<Result<Person>> UpdateAsync(Person person, string version, CancellationToken cancellationToken = default)
    {
        if (!TableQueries.IsWellFormedVersion(version))
        {
            return Failure.StaleEdit($"{person.DisplayName}'s settings");
        }
        using var _ = _cache.InvalidateAfterWrite(TableNames.People, person.OrgId, person.UserId);
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

    /// <summary>
    /// Keeps the app roles of the person's latest sign-in on their row (one write when they changed, none otherwise),
    /// so checks made without a token (the voice webhook, a manager's edit) see them. A failed write is retried on the next sign-in.
    /// </summary>
    // Not virtual: it is logic over UpdateAsync, so a mocked store still shows whether it writes.
    public async Task<Person> RecordRolesAsync(Person person, IEnumerable<string> roles, CancellationToken cancellationToken = default)
    {
        var current = roles.Order(StringComparer.Ordinal).ToList();
        if (current.SequenceEqual(person.Roles.Order(StringComparer.Ordinal)))
        {
            return person;
        }
        var saved = await UpdateAsync(person with { Roles = current }, person.Version ?? "", cancellationToken);
        return saved.Value ?? person with { Roles = current };
    }

    /// <summary>The org's people whose email is <paramref name="email"/>, ignoring case (a scan of the org's partition).</summary>
    public virtual async Task<IReadOnlyList<Person>> FindByEmailAsync(string orgId, string email, CancellationToken cancellationToken = default)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {orgId}");
        var found = new List<Person>();
        await foreach (var entity in Table.QueryAsync<PersonEntity>(filter, 1000, null, cancellationToken))
        {
            if (string.Equals(entity.Email, email, StringComparison.OrdinalIgnoreCase))
            {
                found.Add(entity.ToPerson());
            }
        }
        return found;
    }

    /// <summary>
    /// Moves a person an admin added ahead of sign-in to their real user id, in one transaction (add the new row, delete
    /// the placeholder at its version). Conflict when the placeholder changed or was claimed meanwhile, or the user already has a row.
    /// </summary>
    public virtual async Task<Result<Person>> ClaimAsync(Person placeholder, Person claimed, CancellationToken cancellationToken = default)
    {
        var remove = PersonEntity.From(placeholder);
        try
        {
            var response = await Table.SubmitTransactionAsync(
                [
                    new TableTransactionAction(TableTransactionActionType.Add, PersonEntity.From(claimed)),
                    new TableTransactionAction(TableTransactionActionType.Delete, remove, new ETag(placeholder.Version!)),
                ], cancellationToken);
            return claimed with { Version = TableQueries.VersionOf(response.Value[0]) ?? (await GetAsync(claimed.OrgId, claimed.UserId, cancellationToken))?.Version };
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412 or 404)
        {
            return Failure.Conflict("person-claimed", "The person was claimed or changed by a concurrent request.");
        }
    }

    public virtual async Task<Person> UpsertAsync(Person person, CancellationToken cancellationToken = default)
    {
        using var _ = _cache.InvalidateAfterWrite(TableNames.People, person.OrgId, person.UserId);
        var response = await Table.UpsertEntityAsync(PersonEntity.From(person), TableUpdateMode.Replace, cancellationToken);
        return person with { Version = TableQueries.VersionOf(response) };
    }

    private static bool Matches(Person person, string search) =>
        person.DisplayName.Contains(search, StringComparison.OrdinalIgnoreCase)
        || (person.Email?.Contains(search, StringComparison.OrdinalIgnoreCase) ?? false);
}
