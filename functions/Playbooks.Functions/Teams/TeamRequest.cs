using System.Text.Json.Serialization;
using Playbooks.Calling;
using Playbooks.Calling.Teams;

namespace Playbooks.Functions.Teams;

/// <summary>A team's name and managers; managers may be left out when creating a team, not when replacing one.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record TeamRequest(string? Name, IReadOnlyList<string?>? ManagerUserIds)
{
    public Result<TeamInput> ToInput(bool managersRequired)
    {
        if (ManagerUserIds is null && managersRequired)
        {
            return Failure.Invalid("managerUserIds", "managerUserIds is required: a list of user ids, possibly empty.");
        }
        if (ManagerUserIds is not null && ManagerUserIds.Any(id => id is null))
        {
            return Failure.Invalid("managerUserIds", "managerUserIds must contain user ids, not null.");
        }
        return new TeamInput(Name, ManagerUserIds?.Select(id => id!).ToList() ?? []);
    }
}
