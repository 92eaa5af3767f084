using System.Text.Json.Serialization;
using Playbooks.Calling;
using Playbooks.Calling.PermissionGroups;

namespace Playbooks.Functions.PermissionGroups;

/// <summary>A group's name and Phone Settings; both settings are required so a typo never silently turns one off.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record PermissionGroupRequest(string? Name, bool? AllowComputer, bool? AllowPhone)
{
    public Result<PermissionGroupInput> ToInput()
    {
        if (AllowComputer is null)
        {
            return Failure.Invalid("allowComputer", "allowComputer is required: true or false.");
        }
        if (AllowPhone is null)
        {
            return Failure.Invalid("allowPhone", "allowPhone is required: true or false.");
        }
        return new PermissionGroupInput(Name, AllowComputer.Value, AllowPhone.Value);
    }
}
