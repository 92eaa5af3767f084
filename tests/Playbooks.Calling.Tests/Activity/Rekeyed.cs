using Playbooks.Calling.Activity;

namespace Playbooks.Calling.Tests.Activity;

/// <summary>Moves a generated call history (which uses <see cref="CallEvents"/>' fixed ids) to its own org, SIDs and rep.</summary>
internal static class Rekeyed
{
    public static CallEventMessage[] Call(CallEventMessage[] history, string orgId, int number, string userId = CallEvents.UserId)
    {
        var agent = $"CA{number:D32}";
        var prospect = $"CB{number:D32}";
        return history.Select(e => e with
        {
            OrgId = orgId,
            CallSid = e.CallSid == CallEvents.AgentSid ? agent : e.CallSid == CallEvents.ProspectSid ? prospect : e.CallSid,
            ParentCallSid = e.ParentCallSid is null ? null : agent,
            AgentCallSid = e.AgentCallSid is null ? null : agent,
            UserId = e.UserId is null ? null : userId,
        }).ToArray();
    }
}
