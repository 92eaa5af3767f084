using Azure;
using Azure.Data.Tables;
using Playbooks.Calling.Storage;

namespace Playbooks.Calling.Teams;

public class TeamStore(TableServiceClient tables)
{
    private TableClient Table => tables.GetTableClient(TableNames.Teams);

    public virtual async Task<Team?> GetAsync(string orgId, string teamId, CancellationToken cancellationToken = default) =>
        (await TableQueries.GetOrNullAsync<TeamEntity>(Table, orgId, teamId, cancellationToken))?.ToTeam();

    /// <summary>A page of teams; <paramref name="managedBy"/> keeps only the teams that user manages.</summary>
    public virtual Task<PagedList<Team>> ListAsync(string orgId, string? managedBy, PageRequest page, CancellationToken cancellationToken = default) =>
        TableQueries.ReadPageAsync<TeamEntity, Team>(
            Table, orgId, null, page, e => e.ToTeam(), managedBy is null ? null : t => t.IsManagedBy(managedBy), cancellationToken);

    /// <summary>The ids of the teams a user manages (an org has tens of teams, so this reads them all).</summary>
    public virtual async Task<IReadOnlySet<string>> ManagedTeamIdsAsync(string orgId, string userId, CancellationToken cancellationToken = default)
    {
        var teams = await TableQueries.ReadAllAsync<TeamEntity, Team>(Table, orgId, null, e => e.ToTeam(), cancellationToken);
        return teams.Where(t => t.IsManagedBy(userId)).Select(t => t.Id).ToHashSet();
    }

    /// <summary>The teams that list <paramref name="userId"/> among their managers.</summary>
    public virtual async Task<IReadOnlyList<Team>> ListManagedByAsync(string orgId, string userId, CancellationToken cancellationToken = default)
    {
        var teams = await TableQueries.ReadAllAsync<TeamEntity, Team>(Table, orgId, null, e => e.ToTeam(), cancellationToken);
        return teams.Where(t => t.IsManagedBy(userId)).ToList();
    }

    public virtual async Task<Team> CreateAsync(Team team, CancellationToken cancellationToken = default)
    {
        var response = await Table.AddEntityAsync(TeamEntity.From(team), cancellationToken);
        return team with { Version = TableQueries.VersionOf(response) };
    }

    /// <summary>Replaces a team only if it is still at <paramref name="version"/> (412 <c>stale-edit</c> otherwise).</summary>
    public virtual async Task<Result<Team>> UpdateAsync(Team team, string version, CancellationToken cancellationToken = default)
    {
        if (!TableQueries.IsWellFormedVersion(version))
        {
            return Failure.StaleEdit($"Team '{team.Name}'");
        }
        try
        {
            var response = await Table.UpdateEntityAsync(TeamEntity.From(team), new ETag(version), TableUpdateMode.Replace, cancellationToken);
            return team with { Version = TableQueries.VersionOf(response) };
        }
        catch (RequestFailedException e) when (e.Status == 412)
        {
            return Failure.StaleEdit($"Team '{team.Name}'");
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return Failure.NotFound("Team");
        }
    }

    public virtual async Task<Result<bool>> DeleteAsync(string orgId, string teamId, string version, CancellationToken cancellationToken = default)
    {
        if (!TableQueries.IsWellFormedVersion(version))
        {
            return Failure.StaleEdit("The team");
        }
        try
        {
            await Table.DeleteEntityAsync(orgId, teamId, new ETag(version), cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 412)
        {
            return Failure.StaleEdit("The team");
        }
    }

    public virtual async Task<Team> UpsertAsync(Team team, CancellationToken cancellationToken = default)
    {
        var response = await Table.UpsertEntityAsync(TeamEntity.From(team), TableUpdateMode.Replace, cancellationToken);
        return team with { Version = TableQueries.VersionOf(response) };
    }
}
