using PhoneNumbers;
using Playbooks.Calling.Orgs;

namespace Playbooks.Calling.Calls;

/// <summary>
/// Decides whether a prospect number may be dialed (toll-fraud guard) and normalizes it to E.164.
/// Blocked as premium: premium-rate, shared-cost (the caller pays above a normal call) and personal
/// numbers (UK 070 style "follow-me" numbers, a known fraud route). Toll-free, UAN, VoIP, mobile
/// and fixed-line numbers are allowed.
/// </summary>
public class DestinationPolicy
{
    public const string Malformed = "destination-malformed";
    public const string TooLong = "destination-too-long";
    public const string CountryNotAllowed = "destination-country-not-allowed";
    public const string PremiumRate = "destination-premium-rate";
    public const string NotDialable = "destination-not-dialable";

    /// <summary>E.164 allows at most 15 digits.</summary>
    public const int MaxDigits = 15;

    public const int MaxInputLength = 32;

    private const string ProspectField = "to";

    public const string AgentPhoneField = "agentPhoneNumber";

    private static readonly PhoneNumberUtil Phones = PhoneNumberUtil.GetInstance();

    private static readonly ShortNumberInfo ShortNumbers = ShortNumberInfo.GetInstance();

    private static readonly HashSet<PhoneNumberType> PremiumTypes =
        [PhoneNumberType.PREMIUM_RATE, PhoneNumberType.SHARED_COST, PhoneNumberType.PERSONAL_NUMBER];

    public virtual Result<string> Check(string? to, OrgSettings org) => Evaluate(to, org, ProspectField);

    /// <summary>
    /// The rep's own phone is a destination like any other: the same country, premium-rate and short-code rules, with
    /// the field <c>agentPhoneNumber</c>. A national number without + is read as a US number, as the directory always has.
    /// </summary>
    public virtual Result<string> CheckAgentPhone(string? number, OrgSettings org)
    {
        var input = number?.Trim();
        if (input is { Length: > 0 and <= MaxInputLength } && !input.StartsWith('+'))
        {
            var digits = new string(input.Where(char.IsAsciiDigit).ToArray());
            if (IsShortCode(digits, org))
            {
                return NotDialableFailure(AgentPhoneField);
            }

            if (Validation.PhoneNumber(AgentPhoneField, input).Value is { } national)
            {
                input = national;
            }
        }

        return Evaluate(input, org, AgentPhoneField);
    }

    private static Result<string> Evaluate(string? to, OrgSettings org, string field)
    {
        if (to?.Length > MaxInputLength)
        {
            return Failure.Invalid(field, $"That number is too long (at most {MaxInputLength} characters).", TooLong);
        }

        var input = to?.Trim();
        if (string.IsNullOrEmpty(input))
        {
            return Failure.Invalid(field, "Enter the number to call in international format, such as +14155550100.", Malformed);
        }

        // Spaces, dashes, dots and brackets are formatting; letters (vanity numbers) and anything else are not accepted.
        var hasPlus = input.StartsWith('+');
        var body = hasPlus ? input[1..] : input;
        if (body.Any(c => !char.IsAsciiDigit(c) && c is not (' ' or '-' or '.' or '(' or ')')))
        {
            return Failure.Invalid(field, "A phone number has only digits after the leading +.", Malformed);
        }

        var digits = new string(body.Where(char.IsAsciiDigit).ToArray());
        if (digits.Length > MaxDigits)
        {
            return Failure.Invalid(field, $"That number has more than {MaxDigits} digits.", TooLong);
        }

        if (!hasPlus)
        {
            return IsShortCode(digits, org)
                ? NotDialableFailure(field)
                : Failure.Invalid(field, "Enter the number in international format, starting with + and the country code.", Malformed);
        }

        PhoneNumber number;
        try
        {
            number = Phones.Parse("+" + digits, null);
        }
        catch (NumberParseException)
        {
            return Failure.Invalid(field, "That is not a phone number.", Malformed);
        }

        if (!Phones.IsValidNumber(number))
        {
            return ShortNumbers.IsPossibleShortNumber(number) && IsShortCode(number.NationalNumber.ToString(System.Globalization.CultureInfo.InvariantCulture), org)
                ? NotDialableFailure(field)
                : Failure.Invalid(field, "That is not a valid phone number.", Malformed);
        }

        var type = Phones.GetNumberType(number);
        if (PremiumTypes.Contains(type))
        {
            return Failure.Invalid(field, "Premium-rate and shared-cost numbers cannot be called.", PremiumRate);
        }

        var region = Phones.GetRegionCodeForNumber(number);
        if (region is null || !org.AllowedCountries.Contains(region, StringComparer.OrdinalIgnoreCase))
        {
            return Failure.Invalid(field, $"Your org does not allow calls to {DisplayRegion(region)}.", CountryNotAllowed);
        }

        return Phones.Format(number, PhoneNumberFormat.E164);
    }

    /// <summary>Emergency numbers and short codes (911, 112, 999, 611...) of any region the org may call.</summary>
    private static bool IsShortCode(string digits, OrgSettings org)
    {
        if (digits.Length is 0 or > 6)
        {
            return false;
        }

        foreach (var region in org.AllowedCountries.Select(r => r.ToUpperInvariant()))
        {
            if (!Phones.GetSupportedRegions().Contains(region))
            {
                continue;
            }

            if (ShortNumbers.ConnectsToEmergencyNumber(digits, region) || IsValidShortNumber(digits, region))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A single digit is too short even to parse; it is no short code either.</summary>
    private static bool IsValidShortNumber(string digits, string region)
    {
        try
        {
            return ShortNumbers.IsValidShortNumberForRegion(Phones.Parse(digits, region), region);
        }
        catch (NumberParseException)
        {
            return false;
        }
    }

    private static Failure NotDialableFailure(string field) =>
        Failure.Invalid(field, "Emergency numbers and short codes cannot be called from here.", NotDialable);

    private static string DisplayRegion(string? region) =>
        region is null or "ZZ" or "001" ? "that number's region" : region;
}
