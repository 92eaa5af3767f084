using Playbooks.Calling.Identity;
using Playbooks.Calling.OrgDirectory;
using Playbooks.Calling.People;

namespace Playbooks.Calling.Teams;

/// <summary>The Teams page: an admin sees every team, a manager the teams they manage.</summary>
public class TeamsService(ManagementScopes scopes, TeamStore teams, PersonStore people)
{
    public virtual async Task<Result<PagedList<Team>>> ListAsync(Caller caller, PageRequest page, CancellationToken cancellationToken = default)
    {
        var scope = await scopes.ForAsync(caller, cancellationToken);
        if (scope.Failure is { } forbidden)
        {
            return forbidden;
        }
        if (ContinuationTokens.Validate(page) is { } invalid)
        {
            return invalid;
        }
        return await teams.ListAsync(caller.OrgId, scope.Value!.WholeOrg ? null : caller.UserId, page, cancellationToken);
    }

    public virtual async Task<Result<Team>> GetAsync(Caller caller, string teamId, CancellationToken cancellationToken = default)
    {
        var scope = await scopes.ForAsync(caller, cancellationToken);
        if (scope.Failure is { } forbidden)
        {
            return forbidden;
        }
        var team = await teams.GetAsync(caller.OrgId, teamId, cancellationToken);
        return team is not null && scope.Value!.CoversTeam(team.Id) ? team : Failure.NotFound("Team");
    }

    public virtual async Task<Result<PagedList<Person>>> ListPeopleAsync(
        Caller caller, string teamId, PageRequest page, CancellationToken cancellationToken = default)
    {
        var team = await GetAsync(caller, teamId, cancellationToken);
        if (team.Failure is { } failure)
        {
            return failure;
        }
        if (ContinuationTokens.Validate(page) is { } invalid)
        {
            return invalid;
        }
        return await people.ListAsync(caller.OrgId, new PeopleFilter([team.Value!.Id]), page, cancellationToken);
    }
}
