using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Playbooks.Calling.CallerIds;
using Playbooks.Calling.AgentPhones;

namespace Playbooks.Calling.Calls;

public static class CallsServiceCollectionExtensions
{
    /// <summary>Placing, connecting and ending calls. Needs AddPlaybooksStorage, AddPlaybooksDirectory and AddPlaybooksTwilio.</summary>
    public static IServiceCollection AddPlaybooksCalls(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<CallLedgerOptions>()
            .Bind(configuration.GetSection(CallLedgerOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<CallLedger>();
        services.AddSingleton<CallTokenService>();
        services.AddSingleton<PreflightTokenService>();
        services.AddSingleton<PreflightTwiml>();
        services.AddSingleton<CallConnector>();
        services.AddSingleton<CallService>();
        services.AddSingleton<CallerIdSelector>();
        services.AddSingleton<CallerIdPreviewService>();
        services.AddSingleton<TwilioNumberOwnership>();
        services.AddSingleton<CallerIdService>();
        services.AddSingleton<AgentPhoneVerificationStore>();
        services.AddSingleton<VerificationCodes>();
        services.AddSingleton<AgentPhoneVerificationUrls>();
        services.AddSingleton<AgentPhoneVerificationTwiml>();
        services.AddSingleton<AgentPhoneVerificationService>();
        return services;
    }
}
