using System.Collections.Concurrent;
using Playbooks.Calling.Activity;
using Playbooks.Calling.People;

namespace Playbooks.Calling.Crm;

/// <summary>The CRM user who owns a rep's records (null: the integration user), and why it fell back to the integration user.</summary>
public sealed record CrmOwner(string? CrmUserId, string? Warning);

/// <summary>
/// Finds the CRM user who should own each rep's call records, by the rep's email. Answers are kept in memory per org
/// and email: a found user for <see cref="FoundFor"/>, a miss for <see cref="MissedFor"/>, so a rep added to the CRM
/// later is picked up without a restart, and a sync of many calls asks the CRM once per rep.
/// </summary>
public class CrmOwners(PersonStore people, TimeProvider clock)
{
    public static readonly TimeSpan FoundFor = TimeSpan.FromHours(1);
    public static readonly TimeSpan MissedFor = TimeSpan.FromMinutes(5);

    private readonly ConcurrentDictionary<(string OrgId, string Email), (string? CrmUserId, DateTimeOffset Until)> _cache = new();

    /// <summary>
    /// One owner per distinct rep of <paramref name="activities"/> (by user id). <paramref name="findByEmail"/> asks the
    /// CRM for an active user with that email and answers its id, or null when there is none.
    /// </summary>
    public virtual async Task<IReadOnlyDictionary<string, CrmOwner>> ResolveAsync(
        string orgId, string crmName, IEnumerable<CallActivity> activities, Func<string, Task<string?>> findByEmail,
        CancellationToken cancellationToken)
    {
        var owners = new Dictionary<string, CrmOwner>(StringComparer.Ordinal);
        foreach (var userId in activities.Select(a => a.UserId).OfType<string>().Distinct(StringComparer.Ordinal))
        {
            var email = (await people.GetAsync(orgId, userId, cancellationToken))?.Email?.Trim().ToLowerInvariant();
            if (string.IsNullOrEmpty(email))
            {
                owners[userId] = new CrmOwner(null, $"The rep {userId} has no email, so the record is owned by the {crmName} integration user.");
                continue;
            }
            var crmUserId = await FindAsync(orgId, email, findByEmail);
            owners[userId] = crmUserId is null
                ? new CrmOwner(null, $"No active {crmName} user has the email {email}, so the record is owned by the integration user.")
                : new CrmOwner(crmUserId, null);
        }
        return owners;
    }

    private async Task<string?> FindAsync(string orgId, string email, Func<string, Task<string?>> findByEmail)
    {
        var now = clock.GetUtcNow();
        if (_cache.TryGetValue((orgId, email), out var cached) && cached.Until > now)
        {
            return cached.CrmUserId;
        }
        var found = await findByEmail(email);
        _cache[(orgId, email)] = (found, now + (found is null ? MissedFor : FoundFor));
        return found;
    }

    /// <summary>The outcome with the owner's warning added to any it has.</summary>
    public static CrmSyncOutcome WithWarning(CrmSyncOutcome outcome, CrmOwner? owner) =>
        outcome.Result != CrmSyncResult.Synced || owner?.Warning is not { } warning
            ? outcome
            : outcome with { Warning = outcome.Warning is null ? warning : $"{outcome.Warning} {warning}" };
}
