using Playbooks.Calling.Orgs;

namespace Playbooks.Calling.People;

/// <summary>A user of an org: their team, permission group, calling preference and the phone their agent leg rings.</summary>
public sealed record Person
{
    public required string OrgId { get; init; }

    /// <summary>
    /// The Entra ID object id (<c>oid</c>); for a person an admin added ahead of their first sign-in, a placeholder
    /// starting with <see cref="AwaitingSignInPrefix"/> until that sign-in claims the record.
    /// </summary>
    public required string UserId { get; init; }

    public const string AwaitingSignInPrefix = "added-";

    /// <summary>Added by an admin by email and not signed in yet.</summary>
    public bool AwaitingSignIn => UserId.StartsWith(AwaitingSignInPrefix, StringComparison.Ordinal);

    public required string DisplayName { get; init; }

    public string? Email { get; init; }

    public string? TeamId { get; init; }

    public string? PermissionGroupId { get; init; }

    public CallingMethod CallingPreference { get; init; }

    /// <summary>E.164; the phone called for the agent leg of phone-based calls.</summary>
    public string? AgentPhoneNumber { get; init; }

    /// <summary>Whether the person proved they own <see cref="AgentPhoneNumber"/> (answered its verification call); only a verified number is dialed.</summary>
    public bool AgentPhoneVerified { get; init; }

    /// <summary>
    /// The app roles of the user's latest sign-in (<c>/api/me</c>, a token mint or a phone call), for checks made
    /// without their token: the voice webhook and a manager's edit. Empty until they sign in.
    /// </summary>
    public IReadOnlyList<string> Roles { get; init; } = [];

    /// <summary>The stored version (ETag); clients send it back as If-Match.</summary>
    public string? Version { get; init; }
}

/// <summary>
/// A manager's or admin's edit of a person; null leaves a field as it is, an empty string clears it.
/// <see cref="CallingPreference"/> is "computer" or "phone".
/// </summary>
public sealed record PersonPatch(
    string? TeamId = null,
    string? PermissionGroupId = null,
    string? CallingPreference = null,
    string? AgentPhoneNumber = null);

/// <summary>An admin adds a person ahead of their first sign-in; null fields take the org's defaults (no team).</summary>
public sealed record NewPerson(
    string? Email,
    string? DisplayName = null,
    string? TeamId = null,
    string? PermissionGroupId = null,
    string? CallingPreference = null);

/// <summary>Which people a list returns: optionally only some teams, optionally a name/email search.</summary>
public sealed record PeopleFilter(IReadOnlyCollection<string>? TeamIds = null, string? Search = null);
