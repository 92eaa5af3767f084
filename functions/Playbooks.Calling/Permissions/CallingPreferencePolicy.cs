using Playbooks.Calling.Orgs;
using Playbooks.Calling.PermissionGroups;
using Playbooks.Calling.People;

namespace Playbooks.Calling.Permissions;

/// <summary>Whether a method may be used, with the reason code when it may not.</summary>
public sealed record CallingPermission(bool Allowed, string? Reason = null, string? Detail = null)
{
    public static CallingPermission Granted { get; } = new(true);

    public static CallingPermission Refused(string reason, string detail) => new(false, reason, detail);
}

public sealed record CallingPermissions(CallingPermission Computer, CallingPermission Phone);

/// <summary>The source document's rules on who may select and use which calling method. Pure: no I/O.</summary>
public static class CallingPreferencePolicy
{
    public const string OrgComputerCallingDisabled = "org-computer-calling-disabled";
    public const string GroupForbidsComputer = "group-forbids-computer";
    public const string GroupForbidsPhone = "group-forbids-phone";
    public const string NoPermissionGroup = "no-permission-group";
    public const string NoAgentPhone = "no-agent-phone";
    public const string AgentPhoneUnverified = "agent-phone-unverified";

    private static readonly CallingMethod[] Ordered = [CallingMethod.Computer, CallingMethod.Phone];

    /// <summary>Whether <paramref name="person"/> can place calls with <paramref name="method"/> now.</summary>
    public static CallingPermission CanPlaceCalls(OrgSettings org, PermissionGroup? group, Person person, CallingMethod method)
    {
        if (method == CallingMethod.Computer && !org.ComputerCallingEnabled)
        {
            return CallingPermission.Refused(OrgComputerCallingDisabled,
                "Computer-based calling is not enabled for this org. Support can enable it.");
        }
        // Someone in no group yet may still call with the org's default method (the org check above still applies).
        if (group is null && method != org.DefaultCallingPreference)
        {
            return CallingPermission.Refused(NoPermissionGroup,
                $"The user is in no permission group yet, so only the org's default method ({org.DefaultCallingPreference.ToWire()}-based) is open to them; a manager or admin can add them to a group.");
        }
        if (group is not null && !group.Allows(method))
        {
            return method == CallingMethod.Computer
                ? CallingPermission.Refused(GroupForbidsComputer, $"Permission group '{group.Name}' does not allow computer-based calling.")
                : CallingPermission.Refused(GroupForbidsPhone, $"Permission group '{group.Name}' does not allow phone-based calling.");
        }
        if (method == CallingMethod.Phone && string.IsNullOrEmpty(person.AgentPhoneNumber))
        {
            return CallingPermission.Refused(NoAgentPhone, "Phone-based calling needs an agent phone number to ring.");
        }
        if (method == CallingMethod.Phone && !person.AgentPhoneVerified)
        {
            return CallingPermission.Refused(AgentPhoneUnverified,
                "Phone-based calling needs a verified agent phone number: answer the verification call and enter the code shown in your settings.");
        }
        return CallingPermission.Granted;
    }

    public static CallingPermissions CanPlaceCalls(OrgSettings org, PermissionGroup? group, Person person) =>
        new(CanPlaceCalls(org, group, person, CallingMethod.Computer), CanPlaceCalls(org, group, person, CallingMethod.Phone));

    /// <summary>What the preference drop-down offers: the methods the group allows plus the current preference, computer first.</summary>
    public static IReadOnlyList<CallingMethod> Options(PermissionGroup? group, CallingMethod currentPreference) =>
        Ordered.Where(m => m == currentPreference || (group?.Allows(m) ?? false)).ToList();

    /// <summary>Whether a user may choose <paramref name="method"/> for themselves: only methods their group allows.</summary>
    public static bool CanSelect(PermissionGroup? group, CallingMethod method) => group?.Allows(method) ?? false;
}
