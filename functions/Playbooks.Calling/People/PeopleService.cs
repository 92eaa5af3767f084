using Playbooks.Calling.AgentPhones;
using Playbooks.Calling.Audit;
using Playbooks.Calling.Calls;
using Playbooks.Calling.Identity;
using Playbooks.Calling.Orgs;
using Playbooks.Calling.PermissionGroups;
using Playbooks.Calling.Permissions;
using Playbooks.Calling.Storage;
using Playbooks.Calling.Teams;

namespace Playbooks.Calling.People;

/// <summary>A warning that an edit was saved but leaves the person unable to call with their preference.</summary>
public sealed record PersonWarning(string Code, string Detail);

public sealed record PersonUpdateResult(Person Person, IReadOnlyList<PersonWarning> Warnings);

/// <summary>
/// Managers and admins list and edit people: an admin anyone in the org, a manager only the people on teams they
/// manage (and may move them only between those teams). Both may change a person's group and set any preference.
/// A manager never edits an Admin or Support user (as recorded at their last sign-in), even one on their team.
/// </summary>
public class PeopleService(
    ManagementScopes scopes,
    PersonStore people,
    TeamStore teams,
    PermissionGroupStore groups,
    OrgStore orgs,
    AuditService audit,
    DestinationPolicy destinations,
    AgentPhoneVerificationService verifications)
{
    public const string PersonOutranksManager = "person-is-admin-or-support";
    public const string EmailTaken = "email-taken";

    public virtual async Task<Result<PagedList<Person>>> ListAsync(
        Caller caller, string? search, PageRequest page, CancellationToken cancellationToken = default)
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
        var filter = new PeopleFilter(scope.Value!.WholeOrg ? null : scope.Value.TeamIds, search);
        return await people.ListAsync(caller.OrgId, filter, page, cancellationToken);
    }

    public virtual async Task<Result<Person>> GetAsync(Caller caller, string userId, CancellationToken cancellationToken = default)
    {
        var scope = await scopes.ForAsync(caller, cancellationToken);
        if (scope.Failure is { } forbidden)
        {
            return forbidden;
        }
        return await FindAsync(caller, scope.Value!, userId, cancellationToken);
    }

    public virtual async Task<Result<PersonUpdateResult>> UpdateAsync(
        Caller caller, string userId, PersonPatch patch, string? ifMatch, CancellationToken cancellationToken = default)
    {
        var scope = await scopes.ForAsync(caller, cancellationToken);
        if (scope.Failure is { } forbidden)
        {
            return forbidden;
        }
        var found = await FindAsync(caller, scope.Value!, userId, cancellationToken);
        if (found.Failure is { } notFound)
        {
            return notFound;
        }
        var before = found.Value!;
        if (!caller.IsAdmin && before.Roles.Any(r => r is AppRoles.Admin or AppRoles.Support))
        {
            return Failure.Forbidden(PersonOutranksManager,
                $"{before.DisplayName} is an admin or Support user; only an admin can change their calling settings.");
        }
        var next = await ApplyAsync(caller, scope.Value!, before, patch, cancellationToken);
        if (next.Failure is { } invalid)
        {
            return invalid;
        }
        var after = next.Value!;
        if (after != before)
        {
            var saved = await audit.RecordChangeAsync(caller, caller.OrgId, "person.updated", AuditService.Person, userId,
                before with { Version = null }, after with { Version = null },
                () => people.UpdateAsync(after, string.IsNullOrEmpty(ifMatch) ? before.Version! : ifMatch, cancellationToken), cancellationToken);
            if (saved.Failure is { } refused)
            {
                return refused;
            }
            after = saved.Value!;
            if (after.AgentPhoneNumber is not null && after.AgentPhoneNumber != before.AgentPhoneNumber
                && await orgs.GetAsync(caller.OrgId, cancellationToken) is { } org)
            {
                // The member proves they own the new number: the code shows in their own /api/me, never to the manager.
                await verifications.StartAsync(after, org, cancellationToken);
            }
        }
        return new PersonUpdateResult(after, await WarningsAsync(after, cancellationToken));
    }

    /// <summary>
    /// An admin adds a person by email before their first sign-in, which then claims the record (see MeService). Unset
    /// fields take the org's defaults; 409 <c>email-taken</c> when anyone in the org already has the address.
    /// </summary>
    public virtual async Task<Result<Person>> CreateAsync(Caller caller, NewPerson input, CancellationToken cancellationToken = default)
    {
        if (!caller.IsAdmin)
        {
            return Failure.Forbidden("requires-admin", "Only admins can add people.");
        }
        var email = Validation.Email("email", input.Email);
        if (email.Failure is { } badEmail)
        {
            return badEmail;
        }
        var displayName = string.IsNullOrWhiteSpace(input.DisplayName) ? email.Value![..email.Value!.IndexOf('@')] : input.DisplayName;
        var name = Validation.Name("displayName", displayName);
        if (name.Failure is { } badName)
        {
            return badName;
        }
        if (await orgs.GetAsync(caller.OrgId, cancellationToken) is not { } org)
        {
            return Failure.NotFound("Org");
        }
        var draft = new Person
        {
            OrgId = caller.OrgId,
            UserId = Person.AwaitingSignInPrefix + Guid.NewGuid().ToString("N"),
            DisplayName = name.Value!,
            Email = email.Value,
            PermissionGroupId = org.DefaultPermissionGroupId,
            CallingPreference = org.DefaultCallingPreference,
        };
        var patch = new PersonPatch(input.TeamId, input.PermissionGroupId, input.CallingPreference);
        var applied = await ApplyAsync(caller, new ManagementScope(true, new HashSet<string>()), draft, patch, cancellationToken);
        if (applied.Failure is { } invalid)
        {
            return invalid;
        }
        if ((await people.FindByEmailAsync(caller.OrgId, email.Value!, cancellationToken)).Count > 0)
        {
            return Failure.Conflict(EmailTaken, $"Someone in this org already has the email {email.Value}.") with { Field = "email" };
        }
        var person = applied.Value!;
        return await audit.RecordChangeAsync<Person>(caller, caller.OrgId, "person.added", AuditService.Person, person.UserId, null, person,
            async () =>
            {
                var (stored, created) = await people.CreateOrGetAsync(person, cancellationToken);
                return created ? stored : Failure.Conflict("person-exists", "The person already exists.");
            }, cancellationToken);
    }

    private async Task<Result<Person>> FindAsync(Caller caller, ManagementScope scope, string userId, CancellationToken cancellationToken)
    {
        var person = await people.GetAsync(caller.OrgId, userId, cancellationToken);
        return person is not null && scope.CoversTeam(person.TeamId) ? person : Failure.NotFound("Person");
    }

    private async Task<Result<Person>> ApplyAsync(
        Caller caller, ManagementScope scope, Person person, PersonPatch patch, CancellationToken cancellationToken)
    {
        if (patch.TeamId is not null)
        {
            var teamId = Blank(patch.TeamId);
            if (teamId is not null && await teams.GetAsync(caller.OrgId, teamId, cancellationToken) is null)
            {
                return Failure.Invalid("teamId", $"Team '{teamId}' does not exist.", "unknown-team");
            }
            if (!scope.CoversTeam(teamId))
            {
                return Failure.Forbidden("team-not-managed", "Managers can only move people between teams they manage.");
            }
            person = person with { TeamId = teamId };
        }
        if (patch.PermissionGroupId is not null)
        {
            var groupId = Blank(patch.PermissionGroupId);
            if (groupId is not null && await groups.GetAsync(caller.OrgId, groupId, cancellationToken) is null)
            {
                return Failure.Invalid("permissionGroupId", $"Permission group '{groupId}' does not exist.", "unknown-permission-group");
            }
            person = person with { PermissionGroupId = groupId };
        }
        if (patch.CallingPreference is not null)
        {
            if (!CallingMethodNames.TryParse(patch.CallingPreference, out var method))
            {
                return Failure.Invalid("callingPreference", "callingPreference must be 'computer' or 'phone'.", "unknown-calling-preference");
            }
            person = person with { CallingPreference = method };
        }
        if (patch.AgentPhoneNumber is not null)
        {
            string? phone = null;
            if (Blank(patch.AgentPhoneNumber) is not null)
            {
                if (await orgs.GetAsync(caller.OrgId, cancellationToken) is not { } org)
                {
                    return Failure.NotFound("Org");
                }
                var parsed = destinations.CheckAgentPhone(patch.AgentPhoneNumber, org);
                if (parsed.Failure is { } invalid)
                {
                    return invalid;
                }
                phone = parsed.Value;
            }
            if (phone != person.AgentPhoneNumber)
            {
                person = person with { AgentPhoneNumber = phone, AgentPhoneVerified = false };
            }
        }
        return person;
    }

    /// <summary>Why the person cannot call with their (possibly just assigned) preference, if they cannot.</summary>
    private async Task<IReadOnlyList<PersonWarning>> WarningsAsync(Person person, CancellationToken cancellationToken)
    {
        var org = await orgs.GetAsync(person.OrgId, cancellationToken);
        if (org is null)
        {
            return [];
        }
        var group = person.PermissionGroupId is null ? null : await groups.GetAsync(person.OrgId, person.PermissionGroupId, cancellationToken);
        var permission = CallingPreferencePolicy.CanPlaceCalls(org, group, person, person.CallingPreference);
        return permission.Allowed
            ? []
            : [new PersonWarning(permission.Reason!, $"{person.DisplayName} cannot place {person.CallingPreference.ToWire()}-based calls until granted: {permission.Detail}")];
    }

    private static string? Blank(string value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
