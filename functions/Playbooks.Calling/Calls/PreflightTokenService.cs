using Playbooks.Calling.Identity;
using Playbooks.Calling.Orgs;
using Playbooks.Calling.People;

namespace Playbooks.Calling.Calls;

/// <summary>What <c>POST /api/calls/preflight-token</c> answers: a network-test token and the edges to test, in the org's order.</summary>
public sealed record PreflightToken(
    string Token, string Identity, DateTimeOffset ExpiresAt, IReadOnlyList<string> Edges, IReadOnlyList<string> CodecPreferences);

/// <summary>
/// Mints network-test tokens for any person of the org, whatever their calling preference or permission group: the
/// test only records a few seconds and plays them back, it never dials out.
/// </summary>
public class PreflightTokenService(PersonStore people, OrgStore orgs, TokenRateLimiter limiter, VoiceTokenIssuer issuer, TimeProvider time)
{
    public virtual async Task<Result<PreflightToken>> IssueAsync(Caller caller, CancellationToken cancellationToken)
    {
        var personRead = people.GetAsync(caller.OrgId, caller.UserId, cancellationToken);
        var orgRead = orgs.GetAsync(caller.OrgId, cancellationToken);
        await Task.WhenAll(personRead, orgRead);
        if (await personRead is null || await orgRead is not { } org)
        {
            return Failure.Forbidden(Permissions.CallingAccess.UnknownUser, "The user is not known in this org.");
        }

        var decision = limiter.TryAcquire(caller.OrgId, caller.UserId);
        if (!decision.Allowed)
        {
            return new Failure(FailureKind.RateLimited, CallTokenService.RateLimited, "Too many calling token requests. Wait a moment and try again.")
            {
                RetryAfter = decision.RetryAfter,
            };
        }

        var token = issuer.IssuePreflight(caller.OrgId, caller.UserId, time.GetUtcNow());
        if (token.Failure is { } failure)
        {
            return failure;
        }

        var minted = token.Value!;
        return new PreflightToken(minted.Token, minted.Identity, minted.ExpiresAt, org.Edges, org.CodecPreferences);
    }
}
