using System.Globalization;
using System.Text.Json.Nodes;
using Playbooks.Calling.Activity;

namespace Playbooks.Calling.Crm.Salesforce;

/// <summary>The Task fields for a finished call (Salesforce's standard call-logging fields).</summary>
public static class SalesforceTask
{
    private const int MaxSubject = 255;
    private const int MaxDisposition = 255;
    private const int MaxDescription = 32_000;

    /// <summary>
    /// The record for an sObject Collections request. TaskSubtype can only be set when the Task is created, so an
    /// update leaves it out (Salesforce refuses the whole record otherwise). <paramref name="whoId"/> is the rep's whoId
    /// only once the record it names was found to list the number dialed; null writes the Task without it.
    /// <paramref name="ownerId"/> is the rep's Salesforce User id when one was found.
    /// </summary>
    public static JsonObject Record(CallActivity activity, string? existingId, string? whoId, string? ownerId = null)
    {
        var f = activity.CrmView;
        var record = new JsonObject { ["attributes"] = new JsonObject { ["type"] = "Task" } };
        if (existingId is null)
        {
            record["TaskSubtype"] = "Call";
        }
        else
        {
            record["Id"] = existingId;
        }
        record["Subject"] = CrmActivityText.Truncate(CrmActivityText.Subject(f), MaxSubject);
        record["Status"] = "Completed";
        record["CallType"] = "Outbound";
        record["CallObject"] = activity.AgentCallSid;
        record["CallDurationInSeconds"] = f.DurationSeconds ?? 0;
        record["CallDisposition"] = CrmActivityText.Truncate(f.Disposition ?? CrmActivityText.OutcomeName(f.Outcome), MaxDisposition);
        if ((f.AnsweredAt ?? f.EndedAt) is { } at)
        {
            record["ActivityDate"] = at.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        }
        record["Description"] = CrmActivityText.Truncate(CrmActivityText.Description(activity.AgentCallSid, f), MaxDescription);
        if (!string.IsNullOrWhiteSpace(whoId))
        {
            record["WhoId"] = whoId;
        }
        // Without a rep's User the Task keeps its default owner: the integration user who creates it.
        if (!string.IsNullOrWhiteSpace(ownerId))
        {
            record["OwnerId"] = ownerId;
        }
        return record;
    }

    /// <summary>A SOQL string literal: backslash and quote escaped, as SOQL requires.</summary>
    public static string Literal(string value) => "'" + value.Replace("\\", "\\\\").Replace("'", "\\'") + "'";
}
