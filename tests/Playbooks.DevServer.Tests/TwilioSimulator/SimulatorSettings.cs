namespace Playbooks.DevServer.Tests.TwilioSimulator;

/// <summary>The development Twilio settings (appsettings.Development.json) the simulator checks tokens and signatures with.</summary>
internal static class SimulatorSettings
{
    public const string AccountSid = "AC00000000000000000000000000000de7";
    public const string ApiKeySid = "SK00000000000000000000000000000de7";
    public const string ApiKeySecret = "development-only-simulator-api-key-secret";
    public const string AuthToken = "development-only-simulator-auth-token";
    public const string TwimlAppSid = "AP00000000000000000000000000000de7";

    /// <summary>50 simulated seconds per real second: a 2 s ring takes 40 ms.</summary>
    public const string TestTimeScale = "0.02";

    public static Playbooks.Calling.Twilio.TwilioOptions Twilio(string publicBaseUrl, string? restApiBaseUrl = null) => new()
    {
        AccountSid = AccountSid,
        ApiKeySid = ApiKeySid,
        ApiKeySecret = ApiKeySecret,
        AuthToken = AuthToken,
        TwimlAppSid = TwimlAppSid,
        PublicBaseUrl = publicBaseUrl,
        RestApiBaseUrl = restApiBaseUrl,
    };
}
