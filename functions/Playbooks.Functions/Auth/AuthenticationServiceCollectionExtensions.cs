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
        services.AddSingleton<FunctionPipeline>();
        return services;
    }
}
