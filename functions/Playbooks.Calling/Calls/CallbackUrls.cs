using System.Text;
using Microsoft.Extensions.Options;
using Playbooks.Calling.Orgs;
using Playbooks.Calling.Twilio;

namespace Playbooks.Calling.Calls;

/// <summary>Which leg a status callback reports on.</summary>
public enum CallLeg
{
    /// <summary>The PSTN leg to the prospect (the &lt;Number&gt; of the &lt;Dial&gt;); one activity each.</summary>
    Prospect,

    /// <summary>The phone-based agent leg to the rep's own phone.</summary>
    Agent,
}

/// <summary>What our status and recording callbacks carry in their query, where Twilio's signature covers it.</summary>
public sealed record CallbackContext(string OrgId, string UserId, CallingMethod Method)
{
    /// <summary>The phone-based agent leg's call SID, linking the prospect leg to it.</summary>
    public string? AgentCallSid { get; init; }

    /// <summary>The CRM record (lead or contact) the call is about.</summary>
    public string? WhoId { get; init; }

    /// <summary>With local presence: why the prospect sees this caller ID (<see cref="CallerIdChoice.Tiers"/>).</summary>
    public string? CallerIdTier { get; init; }
}

/// <summary>
/// Builds the webhook URLs we hand to Twilio, from <see cref="TwilioOptions.PublicBaseUrl"/>. Each ends with
/// a connection-override fragment: Twilio reads it, strips it before calling, and retries as it says.
/// </summary>
public class CallbackUrls(IOptions<TwilioOptions> options)
{
    public const string VoicePath = "/api/twilio/voice";
    public const string StatusPath = "/api/twilio/status";
    public const string RecordingStatusPath = "/api/twilio/recording-status";
    public const string AgentConfirmPath = "/api/twilio/agent-leg/confirm";
    public const string DisclosurePath = "/api/twilio/disclosure";

    // The names TwilioCallbackParser reads back from the callback's query.
    public const string OrgIdParameter = "orgId";
    public const string UserIdParameter = "userId";
    public const string MethodParameter = "method";
    public const string AgentCallSidParameter = "agentCallSid";
    public const string WhoIdParameter = "crmWhoId";
    public const string LegParameter = "leg";
    public const string CallerIdTierParameter = "callerIdTier";

    /// <summary>
    /// Connect within 2 s and answer within 4 s; retry up to 3 times on connect failure, read timeout or 5xx
    /// (a 5xx is what we answer when enqueuing failed); at most 14 s in all, under Twilio's 15 s webhook limit.
    /// A 4xx is a deliberate refusal (forged signature, bad request) that a retry cannot change.
    /// </summary>
    public const string ConnectionOverrides = "#ct=2000&rt=4000&tt=14000&rc=3&rp=ct,rt,5xx";

    private readonly string _baseUrl = options.Value.PublicBaseUrl;

    /// <summary>The voice URL; a phone-based agent leg carries its protected call intent in <c>intent</c>.</summary>
    public virtual Uri Voice(string? protectedIntent = null) =>
        Build(VoicePath, protectedIntent is null ? [] : [("intent", protectedIntent)]);

    public virtual Uri Status(CallbackContext context, CallLeg leg = CallLeg.Prospect)
    {
        var query = Query(context);
        if (leg == CallLeg.Agent)
        {
            query.Add((LegParameter, "agent"));
        }

        return Build(StatusPath, query);
    }

    public virtual Uri RecordingStatus(CallbackContext context) => Build(RecordingStatusPath, Query(context));

    /// <summary>
    /// The agent leg's &lt;Gather&gt; action: the rep's key is posted here with the same sealed intent as the voice URL.
    /// No connection overrides: like every &lt;Gather&gt; action, Twilio posts it once while the rep is on the line.
    /// </summary>
    public virtual Uri AgentConfirm(string protectedIntent) =>
        new($"{PublicUrl.Combine(_baseUrl, AgentConfirmPath)}?intent={Uri.EscapeDataString(protectedIntent)}", UriKind.Absolute);

    /// <summary>The &lt;Number url&gt; that plays the recording disclosure to the prospect before the bridge.</summary>
    public virtual Uri Disclosure(CallbackContext context) => Build(DisclosurePath, Query(context));

    private static List<(string Name, string Value)> Query(CallbackContext context)
    {
        List<(string, string)> query = [(OrgIdParameter, context.OrgId), (UserIdParameter, context.UserId), (MethodParameter, context.Method.ToWire())];
        if (!string.IsNullOrEmpty(context.AgentCallSid))
        {
            query.Add((AgentCallSidParameter, context.AgentCallSid));
        }

        if (!string.IsNullOrEmpty(context.WhoId))
        {
            query.Add((WhoIdParameter, context.WhoId));
        }

        if (!string.IsNullOrEmpty(context.CallerIdTier))
        {
            query.Add((CallerIdTierParameter, context.CallerIdTier));
        }

        return query;
    }

    private Uri Build(string path, IReadOnlyList<(string Name, string Value)> query)
    {
        var url = new StringBuilder(PublicUrl.Combine(_baseUrl, path));
        for (var i = 0; i < query.Count; i++)
        {
            url.Append(i == 0 ? '?' : '&')
                .Append(query[i].Name)
                .Append('=')
                .Append(Uri.EscapeDataString(query[i].Value));
        }

        return new Uri(url.Append(ConnectionOverrides).ToString(), UriKind.Absolute);
    }
}
