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

    private const string Field = "to";

    private static readonly PhoneNumberUtil Phones = PhoneNumberUtil.GetInstance();

    private static readonly ShortNumberInfo ShortNumbers = ShortNumberInfo.GetInstance();

    private static readonly HashSet<PhoneNumberType> PremiumTypes =
        [PhoneNumberType.PREMIUM_RATE, PhoneNumberType.SHARED_COST, PhoneNumberType.PERSONAL_NUMBER];

    public virtual Result<string> Check(string? to, OrgSettings org)
    {
        if (to?.Length > MaxInputLength)
        {
            return Failure.Invalid(Field, $"That number is too long (at most {MaxInputLength} characters).", TooLong);
        }

        var input = to?.Trim();
        if (string.IsNullOrEmpty(input))
        {
            return Failure.Invalid(Field, "Enter the number to call in international format, such as +14155550100.", Malformed);
        }

        // Spaces, dashes, dots and brackets are formatting; letters (vanity numbers) and anything else are not accepted.
        var hasPlus = input.StartsWith('+');
        var body = hasPlus ? input[1..] : input;
        if (body.Any(c => !char.IsAsciiDigit(c) && c is not (' ' or '-' or '.' or '(' or ')')))
        {
            return Failure.Invalid(Field, "A phone number has only digits after the leading +.", Malformed);
        }

        var digits = new string(body.Where(char.IsAsciiDigit).ToArray());
        if (digits.Length > MaxDigits)
        {
            return Failure.Invalid(Field, $"That number has more than {MaxDigits} digits.", TooLong);
        }

        if (!hasPlus)
        {
            return IsShortCode(digits, org)
                ? NotDialableFailure()
                : Failure.Invalid(Field, "Enter the number in international format, starting with + and the country code.", Malformed);
        }

        PhoneNumber number;
        try
        {
            number = Phones.Parse("+" + digits, null);
        }
        catch (NumberParseException)
        {
            return Failure.Invalid(Field, "That is not a phone number.", Malformed);
        }

        if (!Phones.IsValidNumber(number))
        {
            return ShortNumbers.IsPossibleShortNumber(number) && IsShortCode(number.NationalNumber.ToString(System.Globalization.CultureInfo.InvariantCulture), org)
                ? NotDialableFailure()
                : Failure.Invalid(Field, "That is not a valid phone number.", Malformed);
        }

        var type = Phones.GetNumberType(number);
        if (PremiumTypes.Contains(type))
        {
            return Failure.Invalid(Field, "Premium-rate and shared-cost numbers cannot be called.", PremiumRate);
        }

        var region = Phones.GetRegionCodeForNumber(number);
        if (region is null || !org.AllowedCountries.Contains(region, StringComparer.OrdinalIgnoreCase))
        {
            return Failure.Invalid(Field, $"Your org does not allow calls to {DisplayRegion(region)}.", CountryNotAllowed);
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

            if (ShortNumbers.ConnectsToEmergencyNumber(digits, region)
                || ShortNumbers.IsValidShortNumberForRegion(Phones.Parse(digits, region), region))
            {
                return true;
            }
        }

        return false;
    }

    private static Failure NotDialableFailure() =>
        Failure.Invalid(Field, "Emergency numbers and short codes cannot be called from here.", NotDialable);

    private static string DisplayRegion(string? region) =>
        region is null or "ZZ" or "001" ? "that number's region" : region;
}
