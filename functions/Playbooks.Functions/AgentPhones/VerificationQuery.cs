using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Playbooks.Calling.AgentPhones;
using Playbooks.Functions.Webhooks;

namespace Playbooks.Functions.AgentPhones;

/// <summary>Which verification a signed verification webhook is about, from the query our own URL carried.</summary>
internal sealed record VerificationQuery(string OrgId, string UserId, string VerificationId)
{
    public static VerificationQuery? From(SignedWebhook webhook) =>
        webhook.QueryValue(AgentPhoneVerificationUrls.OrgIdParameter) is { } orgId
        && webhook.QueryValue(AgentPhoneVerificationUrls.UserIdParameter) is { } userId
        && webhook.QueryValue(AgentPhoneVerificationUrls.VerificationIdParameter) is { } verificationId
            ? new VerificationQuery(orgId, userId, verificationId)
            : null;
}
