using Azure;
using Microsoft.Extensions.Logging;
using Playbooks.Calling.Activity;
using Playbooks.Calling.CallEvents;
using Playbooks.Calling.Calls;
using Playbooks.Calling.Orgs;

namespace Playbooks.Calling.Recordings;

/// <summary>What Twilio's &lt;Number url&gt; request tells us: the org and agent leg from our URL, the prospect leg's SID from the form.</summary>
public sealed record DisclosureRequest(string? OrgId, string? AgentCallSid, string? ProspectCallSid);

/// <summary>
/// Answers the prospect leg's &lt;Number url&gt; with the org's disclosure and records on the activity that it played.
/// The prospect always hears a disclosure, even when storage or the queue fails: recording without one is the
/// outcome to avoid.
/// </summary>
public class DisclosureService(
    OrgStore orgs, TwimlBuilder twiml, ICallEventPublisher publisher, TimeProvider time, ILogger<DisclosureService> logger)
{
    public const string Say = "say";
    public const string Play = "play";

    public virtual async Task<Result<string>> PlayAsync(DisclosureRequest request, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(request.OrgId))
        {
            return Failure.Invalid("orgId", "The disclosure URL has no orgId.", "missing-field");
        }

        if (!CallLedger.IsWellFormedSid(request.AgentCallSid))
        {
            return Failure.Invalid("agentCallSid", "The disclosure URL has no agent call SID.", "missing-field");
        }

        OrgSettings? org = null;
        try
        {
            org = await orgs.GetAsync(request.OrgId, cancellationToken);
        }
        catch (RequestFailedException ex)
        {
            logger.LogError(ex, "Storage failed reading the disclosure of org {OrgId}; playing the default", request.OrgId);
        }

        var kind = org?.DisclosureAudioUrl is not null ? Play : Say;
        var message = new CallEventMessage
        {
            Kind = CallEventKind.Disclosure,
            OrgId = request.OrgId,
            CallSid = request.AgentCallSid!,
            ParentCallSid = request.AgentCallSid,
            ReceivedAt = time.GetUtcNow(),
            Timestamp = time.GetUtcNow(),
            DisclosureKind = kind,
        };
        try
        {
            await publisher.PublishAsync(message, cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            logger.LogError(ex, "Could not queue the disclosure of call {CallSid}", request.AgentCallSid);
        }

        return twiml.Disclosure(org?.DisclosureText, org?.DisclosureAudioUrl);
    }
}
