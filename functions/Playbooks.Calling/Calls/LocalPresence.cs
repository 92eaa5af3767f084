using PhoneNumbers;
using Playbooks.Calling.CallerIds;
using Playbooks.Calling.Orgs;
using Playbooks.Calling.Recordings;

namespace Playbooks.Calling.Calls;

/// <summary>The caller ID a prospect will see, and why that number.</summary>
public sealed record CallerIdChoice(string CallerId, string Tier)
{
    public const string AreaCode = "area-code";
    public const string Region = "region";
    public const string Country = "country";
    public const string Default = "default";

    public static readonly IReadOnlySet<string> Tiers = new HashSet<string>(StringComparer.Ordinal) { AreaCode, Region, Country, Default };
}

/// <summary>
/// Picks the pool number closest to the prospect: the same area code, else the same US state or Canadian province,
/// else the same country, else the org's default caller ID. Ties go to the ordinally first number, so a prospect
/// always sees the same number.
/// </summary>
public static class LocalPresence
{
    private static readonly PhoneNumberUtil Phones = PhoneNumberUtil.GetInstance();

    public static CallerIdChoice Choose(string prospectE164, IEnumerable<string> pool, string defaultCallerId)
    {
        var numbers = pool.Where(n => n != defaultCallerId).Order(StringComparer.Ordinal).Prepend(defaultCallerId).ToList();
        var areaCode = NanpRegions.AreaCodeOf(prospectE164);
        if (areaCode is not null && numbers.FirstOrDefault(n => NanpRegions.AreaCodeOf(n) == areaCode) is { } local)
        {
            return new CallerIdChoice(local, CallerIdChoice.AreaCode);
        }

        if (NanpRegions.RegionOf(prospectE164) is { } region && numbers.FirstOrDefault(n => NanpRegions.RegionOf(n) == region) is { } regional)
        {
            return new CallerIdChoice(regional, CallerIdChoice.Region);
        }

        if (CountryOf(prospectE164) is { } country && numbers.FirstOrDefault(n => CountryOf(n) == country) is { } national)
        {
            return new CallerIdChoice(national, CallerIdChoice.Country);
        }

        return new CallerIdChoice(defaultCallerId, CallerIdChoice.Default);
    }

    private static string? CountryOf(string e164)
    {
        try
        {
            return Phones.GetRegionCodeForNumber(Phones.Parse(e164, null)) is { } region and not "ZZ" ? region : null;
        }
        catch (NumberParseException)
        {
            return null;
        }
    }
}

/// <summary>The caller ID of a call to a prospect: the org's default, or with local presence on, the closest pool number.</summary>
public class CallerIdSelector(CallerIdStore callerIds, Microsoft.Extensions.Options.IOptions<Twilio.TwilioOptions> options)
{
    private readonly string? _defaultCallerId = options.Value.DefaultCallerId;

    public virtual async Task<Result<CallerIdChoice>> ChooseAsync(Orgs.OrgSettings org, string prospectE164, CancellationToken cancellationToken)
    {
        var callerId = org.CallerId ?? _defaultCallerId;
        if (string.IsNullOrEmpty(callerId))
        {
            return Failure.Conflict(CallConnector.CallerIdMissing, "The org has no caller ID for calls. Ask an admin to set one.");
        }

        if (org.CallerId is not null && !await callerIds.IsAssignedAsync(org.OrgId, org.CallerId, cancellationToken))
        {
            return Failure.Conflict(CallerIds.CallerIdService.NotAssigned, "The org's caller ID is no longer assigned to it. Ask an admin to choose another.");
        }

        if (!org.LocalPresence)
        {
            return new CallerIdChoice(callerId, CallerIdChoice.Default);
        }

        var pool = await callerIds.ListAsync(org.OrgId, cancellationToken);
        return LocalPresence.Choose(prospectE164, pool.Select(a => a.PhoneNumber), callerId);
    }
}

/// <summary>GET /api/calls/caller-id: the number a prospect will see, before the rep dials.</summary>
public sealed record CallerIdPreview(string To, string CallerId, string Tier);

public class CallerIdPreviewService(OrgStore orgs, DestinationPolicy destinations, CallerIdSelector selector)
{
    public virtual async Task<Result<CallerIdPreview>> PreviewAsync(Identity.Caller caller, string? to, CancellationToken cancellationToken)
    {
        if (await orgs.GetAsync(caller.OrgId, cancellationToken) is not { } org)
        {
            return Failure.Forbidden(Permissions.CallingAccess.UnknownUser, "The org is not known.");
        }

        var prospect = destinations.Check(to, org);
        if (prospect.Failure is { } badNumber)
        {
            return badNumber;
        }

        var choice = await selector.ChooseAsync(org, prospect.Value!, cancellationToken);
        return choice.Failure is { } failure ? failure : new CallerIdPreview(prospect.Value!, choice.Value!.CallerId, choice.Value.Tier);
    }
}
