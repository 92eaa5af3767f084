namespace Playbooks.Calling.Orgs;

/// <summary>The public edges the Twilio Voice JavaScript SDK accepts (its <c>Edge</c> enum); <c>roaming</c> is Global Low Latency.</summary>
public static class TwilioEdges
{
    public const string Roaming = "roaming";

    public static IReadOnlyList<string> All { get; } =
        ["ashburn", "dublin", "frankfurt", Roaming, "sao-paulo", "singapore", "sydney", "tokyo", "umatilla"];
}
