using PhoneNumbers;

namespace Playbooks.Calling;

/// <summary>Input rules shared by every feature: names, sign-in addresses and phone numbers.</summary>
public static class Validation
{
    public const int MaxNameLength = 100;

    /// <summary>RFC 5321's limit on an address.</summary>
    public const int MaxEmailLength = 254;

    /// <summary>National numbers without a country code are read as US numbers.</summary>
    public const string DefaultRegion = "US";

    private static readonly PhoneNumberUtil Phones = PhoneNumberUtil.GetInstance();

    public static Result<string> Name(string field, string? value)
    {
        var trimmed = value?.Trim() ?? "";
        if (trimmed.Length == 0)
        {
            return Failure.Invalid(field, $"{field} must not be empty.");
        }
        if (trimmed.Length > MaxNameLength)
        {
            return Failure.Invalid(field, $"{field} must be at most {MaxNameLength} characters.");
        }
        return trimmed;
    }

    /// <summary>
    /// A sign-in address, trimmed: one '@' with text either side and no spaces. Not a full RFC 5322 check; it only has to
    /// match the address Entra ID puts in the user's token.
    /// </summary>
    public static Result<string> Email(string field, string? value)
    {
        var trimmed = value?.Trim() ?? "";
        var at = trimmed.IndexOf('@');
        if (trimmed.Length is 0 or > MaxEmailLength || at <= 0 || at == trimmed.Length - 1 || trimmed.IndexOf('@', at + 1) >= 0
            || trimmed.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            return Failure.Invalid(field, $"{field} must be an email address such as rep@example.com.", "invalid-email");
        }
        return trimmed;
    }

    /// <summary>The number in E.164 (e.g. +15005550006), or a 400 naming the field.</summary>
    public static Result<string> PhoneNumber(string field, string? value)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Length > 40)
        {
            return Failure.Invalid(field, $"{field} must be a phone number.", "invalid-phone-number");
        }
        try
        {
            var parsed = Phones.Parse(value, DefaultRegion);
            if (Phones.IsValidNumber(parsed))
            {
                return Phones.Format(parsed, PhoneNumberFormat.E164);
            }
        }
        catch (NumberParseException)
        {
        }
        return Failure.Invalid(field, $"{field} '{value}' is not a valid phone number.", "invalid-phone-number");
    }

    /// <summary>At most <paramref name="max"/> characters of a value we do not refuse (e.g. a name from the identity provider).</summary>
    public static string Truncate(string value, int max) => value.Length <= max ? value : value[..max];

    public static IReadOnlySet<string> SupportedRegions { get; } = Phones.GetSupportedRegions();
}
