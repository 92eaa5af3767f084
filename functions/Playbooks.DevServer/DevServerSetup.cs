using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Options;
using Playbooks.Calling.Health;
using Playbooks.Calling.Storage;
using Playbooks.DevServer.Azurite;
using Playbooks.DevServer.Benchmark;
using Playbooks.DevServer.Crm;
using Playbooks.DevServer.DemoOrg;
using Playbooks.DevServer.DevSignIn;
using Playbooks.DevServer.Functions;
using Playbooks.DevServer.TwilioSimulator;
using Playbooks.DevServer.WebApp;
using Playbooks.Functions;
using Playbooks.Functions.Http;
using Playbooks.Functions.Telemetry;

namespace Playbooks.DevServer;

internal static class DevServerSetup
{
    public static WebApplicationBuilder AddDevServer(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(DevServerOptions.Section).Get<DevServerOptions>() ?? new DevServerOptions();
        var repoRoot = options.RepoRoot = DevServerOptions.FindRepoRoot(options.RepoRoot);
        builder.Services.AddSingleton(Options.Create(options));
        if (string.IsNullOrWhiteSpace(builder.Configuration["urls"]))
        {
            builder.WebHost.UseUrls("http://localhost:7071");
        }

        builder.Services.AddSingleton(TimeProvider.System);

        if (string.IsNullOrWhiteSpace(builder.Configuration["Storage:ConnectionString"]) && string.IsNullOrWhiteSpace(builder.Configuration["Storage:TableServiceUri"]))
        {
            // Registered before the app's services so Azurite is listening before tables are created.
            builder.Services.AddSingleton(sp => new AzuriteProcess(
                repoRoot, options.AzuriteBlobPort, options.AzuriteQueuePort, options.AzuriteTablePort, sp.GetRequiredService<ILogger<AzuriteProcess>>(),
                location: options.AzuriteLocation,
                restartDelay: options.AzuriteRestartDelay,
                exited: () => sp.GetService<HealthProbe>()?.Invalidate()));
            builder.Services.AddHostedService(sp => sp.GetRequiredService<AzuriteProcess>());
            // Health turns 503 the moment Azurite exits, not only once a storage call has timed out.
            builder.Services.AddHealthChecks().AddCheck<AzuriteHealthCheck>("azurite");
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Storage:ConnectionString"] = AzuriteProcess.ConnectionStringFor(options.AzuriteBlobPort, options.AzuriteQueuePort, options.AzuriteTablePort),
            });
        }

        if (builder.Environment.IsDevelopment() && builder.Configuration["Crm:AllowLoopbackHttp"] is null)
        {
            // CRM stubs on this machine answer plain http; everywhere else a CRM is https on its provider's domains.
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Crm:AllowLoopbackHttp"] = "true" });
        }

        builder.Services.AddMvcCore();
        builder.Services.AddPlaybooksFunctions(builder.Configuration);
        builder.Services.AddPlaybooksTelemetry(builder.Configuration);
        builder.Services.AddHostedService<Activity.ActivityWriterLoop>();
        builder.Services.AddHostedService<Crm.CrmSyncLoop>();
        builder.Services.AddHostedService<Calls.OpenCallSweepLoop>();
        if (builder.Environment.IsDevelopment() && string.IsNullOrWhiteSpace(builder.Configuration["Crm:KeyVaultUri"]))
        {
            // Without a CRM Key Vault, admins set CRM client secrets in an in-memory stand-in for one.
            builder.Services.AddSingleton(sp => new Playbooks.Calling.Crm.CrmSecrets(
                builder.Configuration, sp.GetRequiredService<IOptions<Playbooks.Calling.Crm.CrmOptions>>(), sp.GetRequiredService<TimeProvider>(), new Crm.LocalCrmVault()));
        }
        if (builder.Environment.IsDevelopment())
        {
            builder.Services.AddDevSignIn(builder.Configuration);
            if (!string.IsNullOrWhiteSpace(options.EntraAuthorityCertificate))
            {
                builder.Services.AddEntraStandInTrust(options.EntraAuthorityCertificate);
            }
            if (options.CountStorageCalls)
            {
                builder.Services.AddStorageCallCounting();
            }

            if (options.SeedDemoOrg)
            {
                builder.Services.AddSingleton<DemoOrgSeed>();
                builder.Services.AddHostedService<DemoOrgSeeder>();
            }
        }

        return builder;
    }

    public static WebApplication UseDevServer(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<DevServerOptions>>().Value;
        var repoRoot = options.RepoRoot!;
        app.UseExceptionHandler(error => error.Run(http => ProblemWriter.WriteAsync(http, Problems.Internal(http.TraceIdentifier))));

        var staticUi = options.StaticUiPath ?? (Directory.Exists(Path.Combine(repoRoot, "static-ui", "dist"))
            ? Path.Combine(repoRoot, "static-ui", "dist")
            : Path.Combine(repoRoot, "static-ui"));
        var files = new PhysicalFileProvider(Path.GetFullPath(staticUi));
        var headers = WebAppHeaders.Load(WebAppHeaders.ConfigPath(repoRoot));
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = files,
            OnPrepareResponse = file =>
            {
                foreach (var (name, value) in headers)
                {
                    file.Context.Response.Headers[name] = value;
                }
            },
        });

        app.MapFunctions(repoRoot);
        if (app.Environment.IsDevelopment())
        {
            app.MapDevSignIn(DemoOrgSeed.Users.Select(u => new DevUser(u.UserId, u.OrgId, u.DisplayName, u.Roles)).ToList());
            Crm.SalesforceDevStub.Map(app);
            app.MapBenchmarkEndpoints();
            DevHooks.DevHookEndpoints.MapDevHooks(app);
        }

        app.MapTwilioSimulator();
        app.MapFallback("/api/{**path}", http => ProblemWriter.WriteAsync(http,
            new ProblemResponse(404, "route-not-found", "Not found", $"No API route matches {http.Request.Method} {http.Request.Path}.")));
        return app;
    }
}
