using System.ComponentModel.DataAnnotations;

namespace Playbooks.DevServer.TwilioSimulator;

/// <summary>Settings of the local Twilio simulator (section "Simulator"); it runs only when Telephony:Mode is "simulated".</summary>
internal sealed class SimulatorOptions
{
    public const string Section = "Simulator";

    public const string TelephonyModeKey = "Telephony:Mode";

    public const string SimulatedMode = "simulated";

    /// <summary>Real seconds per simulated second: 1 feels like a phone, 0.02 runs a 30 s ring in 0.6 s for tests.</summary>
    [Range(0.001, 10, ErrorMessage = "Simulator:TimeScale must be between 0.001 and 10.")]
    public double TimeScale { get; set; } = 1;

    /// <summary>The TwiML app's voice URL; {Twilio:PublicBaseUrl}/api/twilio/voice when empty.</summary>
    [Url(ErrorMessage = "Simulator:VoiceUrl must be an absolute URL.")]
    public string? VoiceUrl { get; set; }

    /// <summary>How long a phone that answers rings first (simulated seconds).</summary>
    [Range(0, 600, ErrorMessage = "Simulator:RingSeconds must be between 0 and 600.")]
    public double RingSeconds { get; set; } = 2;

    [Range(100, 1_000_000, ErrorMessage = "Simulator:EventLogCapacity must be between 100 and 1000000.")]
    public int EventLogCapacity { get; set; } = 5000;

    public ChaosOptions Chaos { get; set; } = new();

    /// <summary>
    /// Numbers the simulated account owns (REST IncomingPhoneNumbers). An entry ending in <c>*</c> owns every number
    /// starting with it; configured entries are added to these.
    /// </summary>
    public string[] OwnedNumbers { get; set; } = ["+1500*"];

    /// <summary>Caller IDs verified on the simulated account (REST OutgoingCallerIds).</summary>
    public string[] VerifiedCallerIds { get; set; } = ["+14155552671"];

    public static bool IsSimulated(IConfiguration configuration) =>
        string.Equals(configuration[TelephonyModeKey], SimulatedMode, StringComparison.OrdinalIgnoreCase);
}

/// <summary>Status and recording callbacks delivered late, out of order and more than once, as Twilio may.</summary>
internal sealed record ChaosOptions
{
    public bool Enabled { get; init; }

    /// <summary>The share of callbacks sent a second time (0 to 1).</summary>
    [Range(0, 1, ErrorMessage = "Simulator:Chaos:DuplicateRate must be between 0 and 1.")]
    public double DuplicateRate { get; init; } = 0.2;

    /// <summary>Each delivery waits a random 0..MaxDelayMs real milliseconds, which reorders them.</summary>
    [Range(0, 60_000, ErrorMessage = "Simulator:Chaos:MaxDelayMs must be between 0 and 60000.")]
    public int MaxDelayMs { get; init; } = 500;
}
