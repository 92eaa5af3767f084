using Playbooks.Calling.Identity;
using Playbooks.Calling.Audit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Playbooks.Calling.Calls;
using Playbooks.Calling.Orgs;
using Playbooks.Calling.People;
using Playbooks.Calling.Twilio;

namespace Playbooks.Calling.AgentPhones;

/// <summary>How a code entered on the verification call went.</summary>
public enum DigitsOutcome
{
    Verified,
    WrongCode,
    Locked,
    Expired,

    /// <summary>No such verification (a newer one replaced it, or the number changed): nothing to check.</summary>
    Stale,
}

/// <summary>
/// Proves a rep owns a new agent phone before it is dialed: a call to the number asks for the code shown to the rep on
/// screen. Codes expire after <see cref="CodeLifetime"/>, allow <see cref="MaxAttempts"/> entries, and new calls are
/// rate-limited per person whatever the number, so the feature cannot be used to ring arbitrary phones.
/// </summary>
public class AgentPhoneVerificationService(
    AgentPhoneVerificationStore store,
    PersonStore people,
    AuditService audit,
    VerificationCodes codes,
    AgentPhoneVerificationUrls urls,
    TwilioCallGateway gateway,
    IOptions<TwilioOptions> options,
    TimeProvider time,
    ILogger<AgentPhoneVerificationService> logger)
{
    public static readonly TimeSpan CodeLifetime = TimeSpan.FromMinutes(10);

    public const int MaxAttempts = 3;

    public static readonly TimeSpan MinRestartInterval = TimeSpan.FromSeconds(60);

    public const int MaxStartsPerHour = 5;

    public const string RateLimited = "agent-phone-verification-rate-limited";
    public const string NoAgentPhone = "no-agent-phone";
    public const string AlreadyVerified = "agent-phone-already-verified";

    private readonly string? _defaultCallerId = options.Value.DefaultCallerId;

    /// <summary>A new code for the person's current, unverified agent phone, and a call to it.</summary>
    public virtual async Task<Result<AgentPhoneVerification>> StartAsync(Person person, OrgSettings org, CancellationToken cancellationToken)
    {
        if (person.AgentPhoneNumber is not { Length: > 0 } number)
        {
            return Failure.Invalid("agentPhoneNumber", "Set an agent phone number first.", NoAgentPhone);
        }

        if (person.AgentPhoneVerified)
        {
            return Failure.Conflict(AlreadyVerified, "This agent phone number is already verified.");
        }

        var callerId = org.CallerId ?? _defaultCallerId;
        if (string.IsNullOrEmpty(callerId))
        {
            return Failure.Conflict(CallConnector.CallerIdMissing, "The org has no caller ID to call your phone from. Ask an admin to set one.");
        }

        var now = time.GetUtcNow();
        var previous = await store.GetAsync(person.OrgId, person.UserId, cancellationToken);
        var starts = previous?.RecentStarts.Where(t => now - t < TimeSpan.FromHours(1)).Order().ToList() ?? [];
        var retryAfter = RetryAfter(starts, now);
        if (retryAfter is { } wait)
        {
            return new Failure(FailureKind.RateLimited, RateLimited,
                $"A verification call was started recently. Try again in {Math.Ceiling(wait.TotalSeconds)} seconds.") { RetryAfter = wait };
        }

        var started = await store.SaveAsync(new AgentPhoneVerification
        {
            OrgId = person.OrgId,
            UserId = person.UserId,
            Number = number,
            Id = VerificationCodes.NewId(),
            StartedAt = now,
            ExpiresAt = now + CodeLifetime,
            RecentStarts = [.. starts, now],
            Version = previous?.Version,
        }, cancellationToken);
        if (started is null)
        {
            return new Failure(FailureKind.RateLimited, RateLimited, "A verification call was just started.") { RetryAfter = MinRestartInterval };
        }

        var call = await gateway.StartVerificationCallAsync(number, callerId, urls.Call(started), cancellationToken);
        var placed = call.Failure is { } failed ? started with { CallError = failed.Code } : started with { CallSid = call.Value };
        if (call.Failure is not null)
        {
            logger.LogWarning("The verification call for user {UserId} of org {OrgId} failed: {FailureCode}", person.UserId, person.OrgId, call.Failure.Code);
        }

        var saved = await store.SaveAsync(placed, CancellationToken.None) ?? placed;
        return call.Failure is { } refused ? refused : saved;
    }

    /// <summary>The verification in progress for the person's current number, for the person themselves only.</summary>
    public virtual async Task<AgentPhoneState> StateForOwnerAsync(Person person, CancellationToken cancellationToken)
    {
        if (person.AgentPhoneNumber is null || person.AgentPhoneVerified)
        {
            return new AgentPhoneState(person.AgentPhoneNumber, person.AgentPhoneVerified, null);
        }

        var verification = await store.GetAsync(person.OrgId, person.UserId, cancellationToken);
        var now = time.GetUtcNow();
        return verification is not null && verification.Number == person.AgentPhoneNumber && verification.IsOpenAt(now)
            ? new AgentPhoneState(person.AgentPhoneNumber, false, new AgentPhoneVerificationView(
                codes.CodeFor(verification), verification.ExpiresAt, MaxAttempts - verification.Attempts, verification.CallError))
            : new AgentPhoneState(person.AgentPhoneNumber, false, null);
    }

    /// <summary>Whether the verification a call was placed for can still be answered.</summary>
    public virtual async Task<AgentPhoneVerification?> OpenAsync(string orgId, string userId, string verificationId, CancellationToken cancellationToken)
    {
        var verification = await store.GetAsync(orgId, userId, cancellationToken);
        return verification is not null && verification.Id == verificationId && verification.IsOpenAt(time.GetUtcNow()) ? verification : null;
    }

    /// <summary>Checks digits entered on a verification call; the right code marks the number verified.</summary>
    public virtual async Task<(DigitsOutcome Outcome, AgentPhoneVerification? Verification)> CheckDigitsAsync(
        string orgId, string userId, string verificationId, string? digits, CancellationToken cancellationToken)
    {
        var verification = await store.GetAsync(orgId, userId, cancellationToken);
        if (verification is null || verification.Id != verificationId || verification.Closed)
        {
            return (DigitsOutcome.Stale, null);
        }

        if (time.GetUtcNow() >= verification.ExpiresAt)
        {
            return (DigitsOutcome.Expired, verification);
        }

        if (verification.Attempts >= MaxAttempts)
        {
            return (DigitsOutcome.Locked, verification);
        }

        var right = codes.Matches(verification, digits);
        var attempts = verification.Attempts + 1;
        var counted = await store.SaveAsync(
            verification with { Attempts = attempts, Closed = right || attempts >= MaxAttempts }, cancellationToken);
        if (counted is null)
        {
            // Someone else moved this verification on (a concurrent entry or a restart): this entry does not count.
            return (DigitsOutcome.Stale, null);
        }

        if (!right)
        {
            return (attempts >= MaxAttempts ? DigitsOutcome.Locked : DigitsOutcome.WrongCode, counted);
        }

        return await MarkVerifiedAsync(counted, cancellationToken) ? (DigitsOutcome.Verified, counted) : (DigitsOutcome.Stale, null);
    }

    /// <summary>Marks the person's number verified, if it is still the number that was verified.</summary>
    private async Task<bool> MarkVerifiedAsync(AgentPhoneVerification verification, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var person = await people.GetAsync(verification.OrgId, verification.UserId, cancellationToken);
            if (person is null || person.AgentPhoneNumber != verification.Number)
            {
                return false;
            }

            if (person.AgentPhoneVerified)
            {
                return true;
            }

            // The person acts for themselves: they answered the call and entered the code shown only to them.
            var owner = new Caller(person.OrgId, person.UserId, person.DisplayName, person.Roles.ToHashSet(StringComparer.Ordinal));
            var verified = person with { AgentPhoneVerified = true };
            var saved = await audit.RecordChangeAsync(owner, person.OrgId, "person.agent-phone-verified", AuditService.Person, person.UserId,
                person with { Version = null }, verified with { Version = null },
                () => people.UpdateAsync(verified, person.Version!, cancellationToken), cancellationToken);
            if (saved.IsSuccess)
            {
                logger.LogInformation("User {UserId} of org {OrgId} verified their agent phone", verification.UserId, verification.OrgId);
                return true;
            }

            if (saved.Failure!.Kind != FailureKind.PreconditionFailed)
            {
                return false;
            }
        }

        return false;
    }

    private static TimeSpan? RetryAfter(List<DateTimeOffset> starts, DateTimeOffset now)
    {
        if (starts.Count == 0)
        {
            return null;
        }

        var sinceLast = now - starts[^1];
        if (sinceLast < MinRestartInterval)
        {
            return MinRestartInterval - sinceLast;
        }

        return starts.Count >= MaxStartsPerHour ? starts[^MaxStartsPerHour] + TimeSpan.FromHours(1) - now : null;
    }
}
