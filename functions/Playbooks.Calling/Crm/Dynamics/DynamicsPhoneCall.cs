using System.Globalization;
using System.Text.Json.Nodes;
using Playbooks.Calling.Activity;

namespace Playbooks.Calling.Crm.Dynamics;

/// <summary>The phonecall columns for a finished call (Dataverse Web API names).</summary>
public static class DynamicsPhoneCall
{
    private const int MaxSubject = 200;
    private const int MaxPhoneNumber = 200;
    private const int MaxDescription = 2000;

    /// <summary>
    /// The phonecall's columns; <paramref name="regarding"/> is bound only once the record the rep named was found to
    /// list the number dialed (see <see cref="Regarding"/>), and null leaves the phonecall without one.
    /// </summary>
    public static JsonObject Body(CallActivity activity, (string Property, string Reference)? regarding)
    {
        var f = activity.CrmView;
        var body = new JsonObject
        {
            ["subject"] = CrmActivityText.Truncate(CrmActivityText.Subject(f), MaxSubject),
            ["directioncode"] = true,
        };
        if (f.ProspectNumber is { } number)
        {
            body["phonenumber"] = CrmActivityText.Truncate(number, MaxPhoneNumber);
        }
        var end = f.EndedAt;
        var start = f.AnsweredAt ?? end;
        if (start is { } s)
        {
            body["actualstart"] = s.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        }
        if (end is { } e)
        {
            body["actualend"] = e.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        }
        body["actualdurationminutes"] = (int)Math.Ceiling((f.DurationSeconds ?? 0) / 60.0);
        body["description"] = CrmActivityText.Truncate(CrmActivityText.Description(activity.AgentCallSid, f), MaxDescription);
        if (regarding is var (property, reference))
        {
            body[property] = reference;
        }
        return body;
    }

    /// <summary>
    /// The regarding binding for a crmWhoId of the form <c>lead:&lt;guid&gt;</c>, <c>contact:&lt;guid&gt;</c> or a bare
    /// contact guid; null when there is none or it names neither.
    /// </summary>
    public static (string Property, string Reference)? Regarding(string? crmWhoId)
    {
        if (string.IsNullOrWhiteSpace(crmWhoId))
        {
            return null;
        }
        var (entity, id) = crmWhoId.Split(':', 2) switch
        {
            ["lead", var g] => ("lead", g),
            ["contact", var g] => ("contact", g),
            [var g] => ("contact", g),
            _ => ("", ""),
        };
        return entity.Length > 0 && Guid.TryParse(id, out var guid)
            ? ($"regardingobjectid_{entity}@odata.bind", $"/{entity}s({guid:D})")
            : null;
    }
}
