using Playbooks.Calling.Identity;
using Playbooks.Calling.Orgs;
using Playbooks.Calling.People;
using Playbooks.Calling.Permissions;

namespace Playbooks.Calling.Calls;

/// <summary>The options the browser passes to the Twilio Voice SDK's <c>Device</c>.</summary>
public sealed record DeviceOptions(IReadOnlyList<string> Edge, IReadOnlyList<string> CodecPreferences, string CloseProtection);

/// <summary>What <c>POST /api/calls/token</c> answers: the access token and how to set up the Device with it.</summary>
public sealed record CallToken(string Token, string Identity, DateTimeOffset ExpiresAt, DeviceOptions Device);

/// <summary>Mints a Voice access token for a user who may place computer-based calls now.</summary>
public class CallTokenService(
    CallingAccess access, PersonStore people, OrgStore orgs, TokenRateLimiter limiter, VoiceTokenIssuer issuer, TimeProvider time)
{
    public const string PreferenceIsPhone = "preference-is-phone";
    public const string RateLimited = "token-rate-limited";

    /// <summary>The browser asks before the tab closes during a call, since closing it ends the call.</summary>
    public const string CloseProtectionMessage = "A call is in progress. Leaving this page will end it.";

    public virtual async Task<Result<CallToken>> IssueAsync(Caller caller, CancellationToken cancellationToken)
    {
        using var recent = Storage.DirectoryCache.ServeRecentReads();
        // The org and the person are independent reads: on a cold instance they go to storage together, and the
        // permission check below finds both kept (each entity is read once).
        var orgRead = orgs.GetAsync(caller.OrgId, cancellationToken);
        // The roles of this sign-in are what the voice webhook checks during the token's lifetime.
        if (await people.GetAsync(caller.OrgId, caller.UserId, cancellationToken) is { } signedIn)
        {
            await people.RecordRolesAsync(signedIn, caller.Roles, cancellationToken);
        }

        var org = await orgRead;
        var permission = await access.CheckAsync(caller.OrgId, caller.UserId, CallingMethod.Computer, cancellationToken);
        if (!permission.Allowed)
        {
            return Failure.Forbidden(permission.Reason ?? CallingAccess.UnknownUser, permission.Detail ?? "You cannot place computer-based calls.");
        }

        if (await people.GetAsync(caller.OrgId, caller.UserId, cancellationToken) is not { } person || org is null)
        {
            return Failure.Forbidden(CallingAccess.UnknownUser, "The user is not known in this org.");
        }

        if (person.CallingPreference != CallingMethod.Computer)
        {
            return Failure.Forbidden(PreferenceIsPhone, "Your calling preference is phone-based. Switch it to computer-based to call from the browser.");
        }

        var decision = limiter.TryAcquire(caller.OrgId, caller.UserId);
        if (!decision.Allowed)
        {
            return new Failure(FailureKind.RateLimited, RateLimited, "Too many calling token requests. Wait a moment and try again.")
            {
                RetryAfter = decision.RetryAfter,
            };
        }

        var token = issuer.Issue(caller.OrgId, caller.UserId, time.GetUtcNow());
        if (token.Failure is { } failure)
        {
            return failure;
        }

        var minted = token.Value!;
        return new CallToken(minted.Token, minted.Identity, minted.ExpiresAt, new DeviceOptions(org.Edges, org.CodecPreferences, CloseProtectionMessage));
    }
}
