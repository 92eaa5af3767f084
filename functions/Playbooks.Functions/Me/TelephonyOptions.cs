using System.ComponentModel.DataAnnotations;

namespace Playbooks.Functions.Me;

/// <summary>Which telephony the web app talks to: Twilio, or the dev server's simulator.</summary>
public sealed class TelephonyOptions
{
    public const string Section = "Telephony";
    public const string Twilio = "twilio";
    public const string Simulated = "simulated";

    [Required]
    [AllowedValues(Twilio, Simulated)]
    public string Mode { get; set; } = Twilio;
}
