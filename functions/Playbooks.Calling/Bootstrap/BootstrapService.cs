using Microsoft.Extensions.Options;
using Playbooks.Calling.Audit;
using Playbooks.Calling.Identity;
using Playbooks.Calling.Orgs;
using Playbooks.Calling.People;

namespace Playbooks.Calling.Bootstrap;

/// <summary>What one bootstrap run did.</summary>
public sealed record BootstrapOutcome(bool OrgCreated, bool AdminCreated)
{
    public static readonly BootstrapOutcome Nothing = new(false, false);
}

/// <summary>
/// Creates the configured org and its first admin's person record when they are missing; a run that finds them
/// changes nothing. Both creations are audited first, with the actor <see cref="ActorId"/>.
/// </summary>
public class BootstrapService(IOptions<BootstrapOptions> options, OrgStore orgs, PersonStore people, AuditService audit)
{
    public const string ActorId = "bootstrap";

    /// <summary>The display name the admin's record starts with; it is theirs to change.</summary>
    public const string AdminDisplayName = "First admin";

    /// <summary>Throws what storage throws (the caller retries); a refusal (an audit it could not write) is returned.</summary>
    public virtual async Task<Result<BootstrapOutcome>> EnsureAsync(CancellationToken cancellationToken = default)
    {
        var settings = options.Value;
        if (!settings.Enabled)
        {
            return BootstrapOutcome.Nothing;
        }
        var orgId = settings.EffectiveOrgId!;
        var actor = new Caller(orgId, ActorId, ActorId, new HashSet<string>());

        var org = await orgs.GetAsync(orgId, cancellationToken);
        var orgCreated = false;
        if (org is null)
        {
            // Like every new org, computer calling stays off until Support enables it.
            var draft = new OrgSettings { OrgId = orgId, Name = settings.OrgName!.Trim(), ComputerCallingEnabled = false };
            var created = await audit.RecordChangeAsync(actor, orgId, "org.created", AuditService.Org, orgId, null, draft,
                () => orgs.CreateAsync(draft, cancellationToken), cancellationToken);
            if (created.Failure is { Code: not "org-exists" } failed)
            {
                return failed;
            }
            orgCreated = created.IsSuccess;
            org = created.Value ?? draft;
        }

        var adminId = Guid.Parse(settings.AdminObjectId!).ToString("D");
        if (await people.GetAsync(orgId, adminId, cancellationToken) is not null)
        {
            return new BootstrapOutcome(orgCreated, false);
        }
        var admin = new Person
        {
            OrgId = orgId,
            UserId = adminId,
            DisplayName = AdminDisplayName,
            CallingPreference = org.DefaultCallingPreference,
            Roles = [AppRoles.Admin],
        };
        var person = await audit.RecordChangeAsync<Person>(actor, orgId, "person.created", AuditService.Person, adminId, null, admin,
            async () =>
            {
                var (stored, wasCreated) = await people.CreateOrGetAsync(admin, cancellationToken);
                return wasCreated ? stored : Failure.Conflict("person-exists", "The admin signed in before the bootstrap reached them.");
            }, cancellationToken);
        if (person.Failure is { Code: not "person-exists" } refused)
        {
            return refused;
        }
        return new BootstrapOutcome(orgCreated, person.IsSuccess);
    }
}
