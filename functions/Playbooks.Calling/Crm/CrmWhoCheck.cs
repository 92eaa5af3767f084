using PhoneNumbers;

namespace Playbooks.Calling.Crm;

/// <summary>
/// Whether the CRM record a rep named (<c>whoId</c>) is the person called: its phone numbers must include the number
/// dialed, compared as E.164. A rep can only attach a call to a record whose number they actually dialed.
/// </summary>
public static class CrmWhoCheck
{
    private static readonly PhoneNumberUtil Phones = PhoneNumberUtil.GetInstance();

    /// <summary>True when one of <paramref name="recordPhones"/> is the same E.164 number as <paramref name="dialed"/>.</summary>
    public static bool ListsNumber(string? dialed, IEnumerable<string?> recordPhones)
    {
        if (E164(dialed, null) is not { } target)
        {
            return false;
        }
        // A record's number written without a country code is read in the dialed number's country.
        var region = Phones.GetRegionCodeForNumber(Phones.Parse(target, null)) is { Length: 2 } r ? r : "US";
        return recordPhones.Any(p => E164(p, region) == target);
    }

    /// <summary>The warning an activity carries when its whoId was left out of the CRM record.</summary>
    public static string NotLinked(string whoId) =>
        $"Written without the CRM record {whoId}: that record does not list the number dialed.";

    private static string? E164(string? number, string? region)
    {
        if (string.IsNullOrWhiteSpace(number) || number.Length > 64)
        {
            return null;
        }
        try
        {
            var parsed = Phones.Parse(number, region);
            return Phones.IsPossibleNumber(parsed) ? Phones.Format(parsed, PhoneNumberFormat.E164) : null;
        }
        catch (NumberParseException)
        {
            return null;
        }
    }
}
