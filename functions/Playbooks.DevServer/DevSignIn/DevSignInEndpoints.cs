using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Playbooks.Calling;
using Playbooks.Functions.Http;

namespace Playbooks.DevServer.DevSignIn;

internal static class DevSignInEndpoints
{
    /// <summary>Trusts the dev issuer on the normal bearer-token path. Callers register this in Development only.</summary>
    public static IServiceCollection AddDevSignIn(this IServiceCollection services, IConfiguration configuration)
    {
        var tenantId = configuration["AzureAd:TenantId"] ?? throw new InvalidOperationException("AzureAd:TenantId is required.");
        var audience = configuration["AzureAd:Audience"] ?? configuration["AzureAd:ClientId"] ?? throw new InvalidOperationException("AzureAd:ClientId is required.");
        services.AddSingleton(new DevIdentity(tenantId, audience, configuration["Auth:SupportTenantId"]));
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme).Configure<DevIdentity>((options, dev) =>
        {
            var metadata = new OpenIdConnectConfiguration { Issuer = dev.Issuer };
            metadata.SigningKeys.Add(dev.SigningKey);
            options.Configuration = metadata;
            options.ConfigurationManager = new StaticConfigurationManager<OpenIdConnectConfiguration>(metadata);
            // Entra's issuer validator looks the tenant up online; the dev issuer is checked exactly instead.
            options.TokenValidationParameters.IssuerValidator = null;
            options.TokenValidationParameters.ValidIssuer = dev.Issuer;
        });
        return services;
    }

    public static void MapDevSignIn(this IEndpointRouteBuilder endpoints, IReadOnlyList<DevUser> users)
    {
        endpoints.MapGet("/dev/users", () => Results.Ok(users));
        endpoints.MapPost("/dev/token", async (HttpContext http, DevIdentity identity, TimeProvider clock) =>
        {
            var request = await http.Request.ReadJsonAsync<DevTokenRequest>(http.RequestAborted);
            if (!request.IsSuccess)
            {
                await ProblemWriter.WriteAsync(http, Problems.From(request.Failure!));
                return;
            }

            var body = request.Value!;
            var user = body.OrgId is null
                ? users.FirstOrDefault(u => u.UserId == body.UserId) is { } seeded ? WithTenant(seeded, identity) : null
                : AdHocUser(body);
            if (user is null)
            {
                await ProblemWriter.WriteAsync(http, Problems.From(Failure.Invalid("userId", "No seeded user has this id; GET /dev/users lists them.", "unknown-user")));
                return;
            }

            await http.Response.WriteAsJsonAsync(new { accessToken = identity.IssueToken(user, clock.GetUtcNow()) });
        });
    }

    /// <summary>Seeded Support staff sign in from the support tenant; everyone else from their org's tenant.</summary>
    private static DevUser WithTenant(DevUser user, DevIdentity identity) =>
        user.TenantId is null && user.Roles.Contains(Calling.Identity.AppRoles.Support) && identity.SupportTenantId is { } support
            ? user with { TenantId = support }
            : user;

    /// <summary>
    /// Any identity in any org, for trying tenant isolation locally: userId, orgId and roles are all required; tenantId
    /// defaults to the org's own tenant; an email goes into the token's preferred_username.
    /// </summary>
    private static DevUser? AdHocUser(DevTokenRequest body) =>
        string.IsNullOrWhiteSpace(body.UserId) || string.IsNullOrWhiteSpace(body.OrgId) || body.Roles is not { Count: > 0 }
            ? null
            : new DevUser(body.UserId, body.OrgId, body.DisplayName ?? body.UserId, body.Roles, string.IsNullOrWhiteSpace(body.TenantId) ? null : body.TenantId,
                string.IsNullOrWhiteSpace(body.Email) ? null : body.Email);

    private sealed record DevTokenRequest(
        string? UserId, string? OrgId = null, string? DisplayName = null, IReadOnlyList<string>? Roles = null, string? TenantId = null, string? Email = null);
}
