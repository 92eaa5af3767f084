using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Identity.Web;

namespace Playbooks.DevServer.Tests.Security;

/// <summary>
/// The dev server in the Production environment, so bearer tokens go through Microsoft.Identity.Web's JwtBearer exactly as
/// configured for Azure; only the network under it is replaced: Entra ID's metadata and keys come from <see cref="EntraStub"/>.
/// </summary>
public sealed class ProductionJwtServer : ProductionDevServerFactory
{
    /// <summary>
    /// A tenant of this server alone: Microsoft.IdentityModel caches issuer validators per authority for the whole process,
    /// so sharing the other servers' tenant would share their (unstubbed) metadata fetches.
    /// </summary>
    public const string TenantId = "5a5e1d3c-0000-4000-8000-0000000000f1";

    public const string Audience = "api://playbooks-calling-dev";

    /// <summary>The vendor's tenant, whose Support staff sign in to every org.</summary>
    public const string SupportTenantId = "5a5e1d3c-0000-4000-8000-0000000000f5";

    internal EntraStub Entra { get; } = new();

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>(base.Settings)
    {
        ["AzureAd:TenantId"] = TenantId,
        ["AzureAd:Audience"] = Audience,
        ["Auth:SupportTenantId"] = SupportTenantId,
    };

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services =>
        {
            services.Configure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, options => options.BackchannelHttpHandler = Entra);
            // Microsoft.Identity.Web's issuer validator fetches through IHttpClientFactory when it is given a client name.
            services.Configure<AadIssuerValidatorOptions>(options => options.HttpClientName = "entra");
            services.ConfigureHttpClientDefaults(client => client.ConfigurePrimaryHttpMessageHandler(() => new NonDisposingHandler(Entra)));
        });
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            Entra.Dispose();
        }
    }

    /// <summary>The factory disposes the handlers it builds; the stub outlives them.</summary>
    private sealed class NonDisposingHandler(HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        protected override void Dispose(bool disposing)
        {
        }
    }
}
