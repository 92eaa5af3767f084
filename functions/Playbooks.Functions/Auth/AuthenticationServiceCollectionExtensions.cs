using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Identity.Web;

namespace Playbooks.Functions.Auth;

public static class AuthenticationServiceCollectionExtensions
{
    /// <summary>Entra ID bearer tokens, validated by Microsoft.Identity.Web (section "AzureAd").</summary>
    public static IServiceCollection AddPlaybooksAuthentication(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AuthOptions>().Bind(configuration.GetSection(AuthOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AuthOptions>, AuthOptionsValidation>();
        services.AddOptions<EntraTenantOptions>().Bind(configuration.GetSection(EntraTenantOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<EntraTenantOptions>, EntraTenantOptionsValidation>();
        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme)
            .AddMicrosoftIdentityWebApi(configuration.GetSection("AzureAd"));
        services.Configure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, options =>
        {
            // Keep the token's own claim names (oid, tid, roles) so the caller mapping is explicit.
            options.MapInboundClaims = false;
            options.TokenValidationParameters.RoleClaimType = "roles";
            options.TokenValidationParameters.NameClaimType = "name";
        });
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme).PostConfigure<IOptions<AuthOptions>>((options, auth) =>
        {
            // After Microsoft.Identity.Web has set its issuer validator: the vendor's support tenant may sign in too.
            if (auth.Value.SupportTenantId is { Length: > 0 } supportTenantId)
            {
                var instance = configuration["AzureAd:Instance"] ?? "https://login.microsoftonline.com/";
                options.TokenValidationParameters.IssuerValidator =
                    SupportTenantIssuer.Wrap(options.TokenValidationParameters.IssuerValidator, instance, supportTenantId);
            }
        });
        // Repeats of a token validated here skip validation for a minute at most (never past the token's expiry).
        services.AddMemoryCache();
        services.AddSingleton<ValidatedTokenCache>();
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .PostConfigure<ValidatedTokenCache>((options, tokens) => tokens.Attach(options));
        services.AddSingleton<FunctionPipeline>();
        return services;
    }
}
