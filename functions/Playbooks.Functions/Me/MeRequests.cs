using System.Text.Json.Serialization;

namespace Playbooks.Functions.Me;

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record CallingPreferenceRequest(string? Preference);

/// <summary>Tells an absent agentPhoneNumber (a mistake) from an explicit null (clear it).</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed class MePatchRequest
{
    private string? agentPhoneNumber;

    [JsonIgnore]
    public bool HasAgentPhoneNumber { get; private set; }

    public string? AgentPhoneNumber
    {
        get => agentPhoneNumber;
        set
        {
            agentPhoneNumber = value;
            HasAgentPhoneNumber = true;
        }
    }
}
