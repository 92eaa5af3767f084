namespace Playbooks.Calling.Calls;

/// <summary>
/// The CRM record a call is about: a Salesforce lead or contact id (15 or 18 characters) or a Dynamics GUID.
/// It travels in callback URLs and on to the CRM, so only that shape is accepted.
/// </summary>
public static class CrmWhoId
{
    public const int MaxLength = 64;

    public static bool IsValid(string? whoId) =>
        whoId is { Length: > 0 and <= MaxLength } && whoId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '{' or '}');
}
