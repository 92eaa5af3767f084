namespace Playbooks.Calling.AgentPhones;

/// <summary>
/// One person's verification of their agent phone: which number, the nonce the code is derived from (the code itself
/// is never stored), when it expires, the wrong entries so far, and the recent starts that rate-limit new calls.
/// </summary>
public sealed record AgentPhoneVerification
{
    public required string OrgId { get; init; }

    public required string UserId { get; init; }

    /// <summary>The E.164 number being verified; a verification of any other number does not count.</summary>
    public required string Number { get; init; }

    /// <summary>A random nonce; the webhook URLs carry it so an old call cannot act on a newer verification.</summary>
    public required string Id { get; init; }

    public DateTimeOffset StartedAt { get; init; }

    public DateTimeOffset ExpiresAt { get; init; }

    /// <summary>Codes entered so far, right or wrong.</summary>
    public int Attempts { get; init; }

    /// <summary>True once the right code was entered, or the attempts ran out.</summary>
    public bool Closed { get; init; }

    /// <summary>Starts in the last hour, including this one.</summary>
    public IReadOnlyList<DateTimeOffset> RecentStarts { get; init; } = [];

    public string? CallSid { get; init; }

    /// <summary>Why the verification call could not be placed (a failure code), if it could not.</summary>
    public string? CallError { get; init; }

    public string? Version { get; init; }

    public bool IsOpenAt(DateTimeOffset now) => !Closed && now < ExpiresAt && Attempts < AgentPhoneVerificationService.MaxAttempts;
}

/// <summary>What the person themselves sees of a verification in progress: the code to enter, and until when.</summary>
public sealed record AgentPhoneVerificationView(string Code, DateTimeOffset ExpiresAt, int AttemptsLeft, string? CallError);

/// <summary>The agent phone as <c>GET /api/me</c> shows it to its owner.</summary>
public sealed record AgentPhoneState(string? Number, bool Verified, AgentPhoneVerificationView? Verification);
