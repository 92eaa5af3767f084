using Playbooks.Calling.Audit;
using Playbooks.Calling.Identity;
using Playbooks.Calling.People;
using Playbooks.Calling.Storage;

namespace Playbooks.Calling.Teams;

/// <summary>
/// The Teams page: an admin sees every team, a manager the teams they manage. Only admins create, rename, staff and
/// delete teams; every such change is audited before it is applied.
/// </summary>
public class TeamsService(ManagementScopes scopes, TeamStore teams, PersonStore people, AuditService audit)
{
    public const string TeamHasMembers = "team-has-members";
    public const string UnknownManager = "unknown-manager";

    /// <summary>How many managers one team may have; a team is run by a few people, not a crowd.</summary>
    public const int MaxManagers = 20;

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
    public virtual async Task<Result<Team>> CreateAsync(Caller caller, TeamInput input, CancellationToken cancellationToken = default)
    {
        var valid = await ValidateAsync(caller, input, cancellationToken);
        if (valid.Failure is { } invalid)
        {
            return invalid;
        }
        var team = valid.Value! with { Id = Guid.NewGuid().ToString("N") };
        return await audit.RecordChangeAsync(caller, caller.OrgId, "team.created", AuditService.Team, team.Id,
            null, team, async () => (Result<Team>)await teams.CreateAsync(team, cancellationToken), cancellationToken);
    }

    /// <summary>Replaces a team's name and managers; <paramref name="ifMatch"/> guards against a stale edit (412).</summary>
    public virtual async Task<Result<Team>> UpdateAsync(
        Caller caller, string teamId, TeamInput input, string? ifMatch, CancellationToken cancellationToken = default)
    {
        var valid = await ValidateAsync(caller, input, cancellationToken);
        if (valid.Failure is { } invalid)
        {
            return invalid;
        }
        if (await teams.GetAsync(caller.OrgId, teamId, cancellationToken) is not { } before)
        {
            return Failure.NotFound("Team");
        }
        var after = before with { Name = valid.Value!.Name, ManagerUserIds = valid.Value.ManagerUserIds };
        if (after.Name == before.Name && after.ManagerUserIds.SequenceEqual(before.ManagerUserIds)
            && (string.IsNullOrEmpty(ifMatch) || ifMatch == before.Version))
        {
            return before;
        }
        return await audit.RecordChangeAsync(caller, caller.OrgId, "team.updated", AuditService.Team, teamId,
            before with { Version = null }, after with { Version = null },
            () => teams.UpdateAsync(after, string.IsNullOrEmpty(ifMatch) ? before.Version! : ifMatch, cancellationToken), cancellationToken);
    }

    /// <summary>Refused with 409 <c>team-has-members</c> (and <c>memberCount</c>) while anyone is still on the team.</summary>
    public virtual async Task<Result<Team>> DeleteAsync(Caller caller, string teamId, string? ifMatch, CancellationToken cancellationToken = default)
    {
        if (RefuseUnlessAdmin(caller) is { } forbidden)
        {
            return forbidden;
        }
        if (await teams.GetAsync(caller.OrgId, teamId, cancellationToken) is not { } team)
        {
            return Failure.NotFound("Team");
        }
        var members = await people.CountInTeamAsync(caller.OrgId, teamId, cancellationToken);
        if (members > 0)
        {
            return Failure.Conflict(TeamHasMembers,
                $"Team '{team.Name}' has {members} member{(members == 1 ? "" : "s")}. Move them to another team first.")
                with { Extensions = new Dictionary<string, object?> { ["memberCount"] = members } };
        }
        return await audit.RecordChangeAsync(caller, caller.OrgId, "team.deleted", AuditService.Team, teamId,
            team with { Version = null }, null, async () =>
            {
                var deleted = await teams.DeleteAsync(caller.OrgId, teamId, string.IsNullOrEmpty(ifMatch) ? team.Version! : ifMatch, cancellationToken);
                return deleted.Failure is { } stale ? stale : (Result<Team>)team;
            }, cancellationToken);
    }

    /// <summary>The admin check, a capped name and managers who are people of the caller's org (duplicates dropped).</summary>
    private async Task<Result<Team>> ValidateAsync(Caller caller, TeamInput input, CancellationToken cancellationToken)
    {
        if (RefuseUnlessAdmin(caller) is { } forbidden)
        {
            return forbidden;
        }
        var name = Validation.Name("name", input.Name);
        if (name.Failure is { } invalid)
        {
            return invalid;
        }
        var managerIds = new List<string>();
        foreach (var id in input.ManagerUserIds)
        {
            if (string.IsNullOrWhiteSpace(id))
            {
                return Failure.Invalid("managerUserIds", "managerUserIds must not contain a blank user id.");
            }
            if (!managerIds.Contains(id))
            {
                managerIds.Add(id);
            }
        }
        if (managerIds.Count > MaxManagers)
        {
            return Failure.Invalid("managerUserIds", $"A team can have at most {MaxManagers} managers.");
        }
        foreach (var id in managerIds)
        {
            if (id.Length > 256 || await people.GetAsync(caller.OrgId, id, cancellationToken) is null)
            {
                return Failure.Invalid("managerUserIds", $"'{Shorten(id)}' is not a person of this org.", UnknownManager);
            }
        }
        return new Team { OrgId = caller.OrgId, Id = "", Name = name.Value!, ManagerUserIds = managerIds };
    }

    private static string Shorten(string id) => id.Length <= 64 ? id : id[..64] + "…";

    private static Failure? RefuseUnlessAdmin(Caller caller) =>
        caller.IsAdmin ? null : Failure.Forbidden("requires-admin", "Only admins can create, change or delete teams.");
}
