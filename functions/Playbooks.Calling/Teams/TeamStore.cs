using Azure.Data.Tables;
using Playbooks.Calling.OrgDirectory;
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

    public virtual async Task<Team> UpsertAsync(Team team, CancellationToken cancellationToken = default)
    {
        var response = await Table.UpsertEntityAsync(TeamEntity.From(team), TableUpdateMode.Replace, cancellationToken);
        return team with { Version = TableQueries.VersionOf(response) };
    }
}
