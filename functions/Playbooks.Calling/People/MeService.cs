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

/// <summary>A signed-in user's own profile and self-service settings.</summary>
public class MeService(
    OrgStore orgs,
    PermissionGroupStore groups,
    PersonStore people,
    AuditService audit,
    DestinationPolicy destinations,
    AgentPhoneVerificationService verifications,
    TeamStore teams)
{
    public const string PreferenceNotPermitted = "preference-not-permitted";

    /// <summary>
    /// The caller's profile. A first sign-in claims the record an admin added for the token's email, or else creates the
    /// person from the token with the org's default permission group and preference; later calls reuse that row.
    /// </summary>
    public virtual async Task<Result<MeProfile>> GetProfileAsync(Caller caller, CancellationToken cancellationToken = default)
    {
        using var recent = Storage.DirectoryCache.ServeRecentReads();
        // The org and the person are independent reads: on a cold instance they go to storage together.
        var orgRead = orgs.GetAsync(caller.OrgId, cancellationToken);
        var personRead = people.GetAsync(caller.OrgId, caller.UserId, cancellationToken);
        await Task.WhenAll(orgRead, personRead);
        if (await orgRead is not { } org)
        {
            return caller.IsSupport ? SupportStaffProfile(caller) : Failure.NotFound("Org");
        }
        var person = await personRead is { } existing ? existing : await CreateOrClaimAsync(caller, org, cancellationToken);
        if (person.Failure is { } failure)
        {
            return failure;
        }
        return await ProfileAsync(caller, org, await people.RecordRolesAsync(person.Value!, caller.Roles, cancellationToken), cancellationToken);
    }

    /// <summary>Self-service: only a method the caller's group allows (403 <c>preference-not-permitted</c> otherwise).</summary>
    public virtual async Task<Result<MeProfile>> SetMyPreferenceAsync(Caller caller, string? preference, CancellationToken cancellationToken = default)
    {
        if (!CallingMethodNames.TryParse(preference, out var method))
        {
            return Failure.Invalid("preference", "preference must be 'computer' or 'phone'.", "unknown-calling-preference");
        }
        if (await orgs.GetAsync(caller.OrgId, cancellationToken) is not { } org)
        {
            return Failure.NotFound("Org");
        }
        var found = await GetOrCreateAsync(caller, org, cancellationToken);
        if (found.Failure is { } failure)
        {
            return failure;
        }
        var person = found.Value!;
        var group = await GroupOfAsync(person, cancellationToken);
        if (!CallingPreferencePolicy.CanSelect(group, method))
        {
            return Failure.Forbidden(PreferenceNotPermitted,
                $"Your permission group does not let you choose {method.ToWire()}-based calling. Ask your manager.");
        }
        return await SaveAsync(caller, org, person, person with { CallingPreference = method }, "person.calling-preference-changed", cancellationToken);
    }

    /// <summary>
    /// Sets (or, with null or empty, clears) the phone the agent leg rings, normalised to E.164. The number must pass
    /// the org's destination policy like any prospect; a new number is stored unverified and its verification call starts.
    /// </summary>
    public virtual async Task<Result<MeProfile>> SetMyAgentPhoneAsync(Caller caller, string? agentPhoneNumber, CancellationToken cancellationToken = default)
    {
        if (await orgs.GetAsync(caller.OrgId, cancellationToken) is not { } org)
        {
            return Failure.NotFound("Org");
        }
        string? normalised = null;
        if (!string.IsNullOrWhiteSpace(agentPhoneNumber))
        {
            var phone = destinations.CheckAgentPhone(agentPhoneNumber, org);
            if (phone.Failure is { } invalid)
            {
                return invalid;
            }
            normalised = phone.Value;
        }
        var found = await GetOrCreateAsync(caller, org, cancellationToken);
        if (found.Failure is { } notFound)
        {
            return notFound;
        }
        var person = found.Value!;
        if (normalised == person.AgentPhoneNumber)
        {
            return await ProfileAsync(caller, org, person, cancellationToken);
        }
        var saved = await SavePersonAsync(caller, person, person with { AgentPhoneNumber = normalised, AgentPhoneVerified = false },
            "person.agent-phone-changed", cancellationToken);
        if (saved.Failure is { } failure)
        {
            return failure;
        }
        if (normalised is not null)
        {
            // The number is saved either way; a refused or rate-limited call shows in the verification state, and can be restarted.
            await verifications.StartAsync(saved.Value!, org, cancellationToken);
        }
        return await ProfileAsync(caller, org, saved.Value!, cancellationToken);
    }

    /// <summary>(Re)starts the verification call to the caller's own unverified agent phone.</summary>
    public virtual async Task<Result<MeProfile>> StartAgentPhoneVerificationAsync(Caller caller, CancellationToken cancellationToken = default)
    {
        if (await orgs.GetAsync(caller.OrgId, cancellationToken) is not { } org)
        {
            return Failure.NotFound("Org");
        }
        var found = await GetOrCreateAsync(caller, org, cancellationToken);
        if (found.Failure is { } failure)
        {
            return failure;
        }
        var started = await verifications.StartAsync(found.Value!, org, cancellationToken);
        return started.Failure is { } refused ? refused : await ProfileAsync(caller, org, found.Value!, cancellationToken);
    }

    private async Task<Result<MeProfile>> SaveAsync(
        Caller caller, OrgSettings org, Person before, Person after, string action, CancellationToken cancellationToken)
    {
        var saved = await SavePersonAsync(caller, before, after, action, cancellationToken);
        return saved.Failure is { } failure ? failure : await ProfileAsync(caller, org, saved.Value!, cancellationToken);
    }

    private async Task<Result<Person>> SavePersonAsync(Caller caller, Person before, Person after, string action, CancellationToken cancellationToken) =>
        after == before
            ? before
            : await audit.RecordChangeAsync(caller, caller.OrgId, action, AuditService.Person, caller.UserId,
                before with { Version = null }, after with { Version = null }, () => people.UpdateAsync(after, before.Version!, cancellationToken), cancellationToken);

    private async Task<Result<Person>> GetOrCreateAsync(Caller caller, OrgSettings org, CancellationToken cancellationToken)
    {
        if (await people.GetAsync(caller.OrgId, caller.UserId, cancellationToken) is { } existing)
        {
            return existing;
        }
        return await CreateOrClaimAsync(caller, org, cancellationToken);
    }

    /// <summary>A first sign-in (no person row for the caller yet): claims the admin's record for the token's email, or creates one.</summary>
    private async Task<Result<Person>> CreateOrClaimAsync(Caller caller, OrgSettings org, CancellationToken cancellationToken)
    {
        if (caller.Email is { } email
            && (await people.FindByEmailAsync(caller.OrgId, email, cancellationToken)).FirstOrDefault(p => p.AwaitingSignIn) is { } added)
        {
            return await ClaimAsync(caller, added, cancellationToken);
        }
        var draft = new Person
        {
            OrgId = caller.OrgId,
            UserId = caller.UserId,
            DisplayName = Validation.Truncate(caller.DisplayName, Validation.MaxNameLength),
            Email = caller.Email,
            PermissionGroupId = await DefaultGroupIdAsync(org, cancellationToken),
            CallingPreference = org.DefaultCallingPreference,
            Roles = caller.Roles.Order().ToList(),
        };
        Person? concurrent = null;
        var created = await audit.RecordChangeAsync<Person>(caller, caller.OrgId, "person.created", AuditService.Person, caller.UserId, null, draft,
            async () =>
            {
                var (person, wasCreated) = await people.CreateOrGetAsync(draft, cancellationToken);
                concurrent = wasCreated ? null : person;
                return wasCreated ? person : Failure.Conflict("person-exists", "A concurrent sign-in created the person first.");
            }, cancellationToken);
        return concurrent ?? created;
    }

    /// <summary>The first sign-in of someone an admin added by email takes over that record, keeping what the admin set.</summary>
    private async Task<Result<Person>> ClaimAsync(Caller caller, Person added, CancellationToken cancellationToken)
    {
        var claimed = added with { UserId = caller.UserId, Roles = caller.Roles.Order().ToList(), Version = null };
        var result = await audit.RecordChangeAsync(caller, caller.OrgId, "person.claimed", AuditService.Person, caller.UserId,
            added with { Version = null }, claimed, () => people.ClaimAsync(added, claimed, cancellationToken), cancellationToken);
        // A concurrent first sign-in of the same user claimed it first: theirs is the row.
        if (result.Failure is not null)
        {
            return await people.GetAsync(caller.OrgId, caller.UserId, cancellationToken) is { } winner ? winner : result;
        }
        await HandOverManagementAsync(caller, added.UserId, cancellationToken);
        return result;
    }

    private const int TeamUpdateAttempts = 3;

    /// <summary>
    /// An admin may have made the added person a team manager before they signed in: those teams now name the real user
    /// id instead of the placeholder (audited), so the person keeps the manager role after the claim.
    /// </summary>
    private async Task HandOverManagementAsync(Caller caller, string placeholderUserId, CancellationToken cancellationToken)
    {
        foreach (var listed in await teams.ListManagedByAsync(caller.OrgId, placeholderUserId, cancellationToken))
        {
            var team = listed;
            for (var attempt = 1; attempt <= TeamUpdateAttempts; attempt++)
            {
                var managers = team.ManagerUserIds.Select(id => id == placeholderUserId ? caller.UserId : id).Distinct().ToList();
                var after = team with { ManagerUserIds = managers };
                var updated = await audit.RecordChangeAsync(caller, caller.OrgId, "team.manager-claimed", AuditService.Team, team.Id,
                    team with { Version = null }, after with { Version = null }, () => teams.UpdateAsync(after, team.Version!, cancellationToken), cancellationToken);
                if (updated.Failure is not { Kind: FailureKind.PreconditionFailed })
                {
                    break;
                }
                // An admin edited the team meanwhile: apply the hand-over to what they saved, if it still lists the placeholder.
                if (await teams.GetAsync(caller.OrgId, team.Id, cancellationToken) is not { } current || !current.IsManagedBy(placeholderUserId))
                {
                    break;
                }
                team = current;
            }
        }
    }

    /// <summary>The org's default group, unless it has gone (deleting it is refused, but a row can still be removed by hand).</summary>
    private async Task<string?> DefaultGroupIdAsync(OrgSettings org, CancellationToken cancellationToken) =>
        org.DefaultPermissionGroupId is { } id && await groups.GetAsync(org.OrgId, id, cancellationToken) is not null ? id : null;

    private async Task<PermissionGroup?> GroupOfAsync(Person person, CancellationToken cancellationToken) =>
        person.PermissionGroupId is null ? null : await groups.GetAsync(person.OrgId, person.PermissionGroupId, cancellationToken);

    /// <summary>
    /// Support staff (only ever from the support tenant) act on other orgs' Support pages, so they need no org of their
    /// own: their profile names their tenant, stores nothing, and places no calls.
    /// </summary>
    private static MeProfile SupportStaffProfile(Caller caller)
    {
        var home = new OrgSettings { OrgId = caller.OrgId, Name = SupportStaffOrgName };
        var refused = CallingPermission.Refused(CallingAccess.RoleCannotCall, "Support staff work on other orgs' settings and do not place calls.");
        return new MeProfile(
            new MeUser(caller.UserId, Validation.Truncate(caller.DisplayName, Validation.MaxNameLength), caller.Email, null, null),
            new MeOrg(home.OrgId, home.Name, false, null),
            caller.Roles.Order().ToList(),
            home.DefaultCallingPreference,
            [],
            new CallingPermissions(refused, refused),
            null,
            OrgCallingSettings.From(home),
            null);
    }

    public const string SupportStaffOrgName = "Playbooks Support";

    private async Task<MeProfile> ProfileAsync(Caller caller, OrgSettings org, Person person, CancellationToken cancellationToken)
    {
        var group = await GroupOfAsync(person, cancellationToken);
        return new MeProfile(
            new MeUser(person.UserId, person.DisplayName, person.Email, person.TeamId, person.PermissionGroupId),
            new MeOrg(org.OrgId, org.Name, org.IsSandbox, org.ParentOrgId),
            caller.Roles.Order().ToList(),
            person.CallingPreference,
            CallingPreferencePolicy.Options(group, person.CallingPreference),
            CallingPreferencePolicy.CanPlaceCalls(org, group, person),
            person.AgentPhoneNumber,
            OrgCallingSettings.From(org),
            person.Version)
        {
            AgentPhone = await verifications.StateForOwnerAsync(person, cancellationToken),
        };
    }
}
