using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Playbooks.Calling.Calls;
using Twilio.Clients;
using Twilio.Http;

namespace Playbooks.Calling.Twilio;

public static class TwilioServiceCollectionExtensions
{
    public static IServiceCollection AddPlaybooksTwilio(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<TwilioOptions>()
            .Bind(configuration.GetSection(TwilioOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<ITwilioRestClient>(sp => CreateRestClient(sp.GetRequiredService<IOptions<TwilioOptions>>().Value));

        services.AddSingleton<TwilioSignature>();
        services.AddSingleton<CallbackUrls>();
        services.AddSingleton<VoiceTokenIssuer>();
        services.AddSingleton<TokenRateLimiter>();
        services.AddSingleton<CallRateLimiter>();
        services.AddSingleton<DestinationPolicy>();
        services.AddSingleton<TwimlBuilder>();
        services.AddSingleton<CallIntentProtector>();
        services.AddSingleton<TwilioCallGateway>();
        return services;
    }

    /// <summary>
    /// A REST client authenticated with the API key (not the auth token), talking to
    /// <see cref="TwilioOptions.RestApiBaseUrl"/> when set. <paramref name="transport"/> replaces the network in tests.
    /// </summary>
    public static TwilioRestClient CreateRestClient(TwilioOptions options, HttpMessageHandler? transport = null)
    {
        HttpMessageHandler handler = transport ?? new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
        if (!string.IsNullOrEmpty(options.RestApiBaseUrl))
        {
            handler = new RestApiBaseUrlHandler(new Uri(options.RestApiBaseUrl)) { InnerHandler = handler };
        }

        var http = new System.Net.Http.HttpClient(handler) { Timeout = TimeSpan.FromSeconds(10) };
        return new TwilioRestClient(
            options.ApiKeySid,
            options.ApiKeySecret,
            accountSid: options.AccountSid,
            httpClient: new SystemNetHttpClient(http));
    }
}
