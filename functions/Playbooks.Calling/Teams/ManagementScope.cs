using Playbooks.Calling.Identity;

namespace Playbooks.Calling.Teams;

/// <summary>Whom a caller manages: an admin the whole org, a manager the people on the teams they manage.</summary>
public sealed record ManagementScope(bool WholeOrg, IReadOnlySet<string> TeamIds)
{
    public bool CoversTeam(string? teamId) => WholeOrg || (teamId is not null && TeamIds.Contains(teamId));

    /// <summary>How many of these people (given by team; null for no team) are outside the scope.</summary>
    public int CountOutside(IEnumerable<string?> teamIdsOfPeople) => teamIdsOfPeople.Count(teamId => !CoversTeam(teamId));
}

public class ManagementScopes(TeamStore teams)
{
    /// <summary>The caller's scope, or a 403 when the caller is neither a manager nor an admin.</summary>
    public virtual async Task<Result<ManagementScope>> ForAsync(Caller caller, CancellationToken cancellationToken = default)
    {
        if (caller.IsAdmin)
        {
            return new ManagementScope(true, new HashSet<string>());
        }
        if (!caller.IsManager)
        {
            return Failure.Forbidden("requires-manager-or-admin", "Only managers and admins can do this.");
        }
        return new ManagementScope(false, await teams.ManagedTeamIdsAsync(caller.OrgId, caller.UserId, cancellationToken));
    }
}
