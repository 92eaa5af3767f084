using Azure.Monitor.OpenTelemetry.Exporter;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Playbooks.Calling.Crm;
using Playbooks.Calling.Storage;
using Playbooks.Calling.Telemetry;

namespace Playbooks.Functions.Telemetry;

/// <summary>Where traces and metrics go (setting <c>Telemetry:Exporter</c>).</summary>
public enum TelemetryExporter
{
    /// <summary>Nowhere: no one listens, so the instrumentation costs nothing.</summary>
    None,

    /// <summary>Written to standard output, for a quick look locally.</summary>
    Console,

    /// <summary>OTLP to <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> (default http://localhost:4317), e.g. a local collector or Aspire dashboard.</summary>
    Otlp,

    /// <summary>Application Insights, with <c>APPLICATIONINSIGHTS_CONNECTION_STRING</c>.</summary>
    AzureMonitor,
}

public static class TelemetryServiceCollectionExtensions
{
    public const string ExporterSetting = "Telemetry:Exporter";
    public const string ConnectionStringSetting = "APPLICATIONINSIGHTS_CONNECTION_STRING";
    public const string AuthenticationStringSetting = "APPLICATIONINSIGHTS_AUTHENTICATION_STRING";
    public const string OtlpEndpointSetting = "OTEL_EXPORTER_OTLP_ENDPOINT";
    public const string ServiceName = "playbooks-calling";

    /// <summary>
    /// OpenTelemetry for the "Playbooks.Calling" ActivitySource and Meter, exported as <see cref="ResolveExporter"/> says;
    /// <paramref name="configureHost"/> adds what the host itself contributes (the Functions worker's defaults) when
    /// something is exported. The CRM connectors are wrapped to count and trace their writes. Call after AddPlaybooksFunctions.
    /// </summary>
    public static IServiceCollection AddPlaybooksTelemetry(
        this IServiceCollection services, IConfiguration configuration, Action<IOpenTelemetryBuilder>? configureHost = null)
    {
        services.TryAddSingleton(TimeProvider.System);
        Decorate<ICrmConnector>(services, (sp, inner) => new TracedCrmConnector(inner, sp.GetRequiredService<TimeProvider>()));

        var exporter = ResolveExporter(configuration);
        if (exporter == TelemetryExporter.None)
        {
            return services;
        }

        var otel = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(ServiceName))
            .WithTracing(tracing => tracing.AddSource(PlaybooksTelemetry.Name))
            .WithMetrics(metrics => metrics.AddMeter(PlaybooksTelemetry.Name));
        switch (exporter)
        {
            case TelemetryExporter.Console:
                otel.WithTracing(tracing => tracing.AddConsoleExporter()).WithMetrics(metrics => metrics.AddConsoleExporter());
                break;
            case TelemetryExporter.Otlp:
                otel.UseOtlpExporter();
                break;
            case TelemetryExporter.AzureMonitor:
                otel.UseAzureMonitorExporter(o =>
                {
                    o.ConnectionString = configuration[ConnectionStringSetting];
                    if (EntraClientId(configuration[AuthenticationStringSetting]) is { } clientId)
                    {
                        // Application Insights with local authentication off takes only Entra tokens (the app's identity).
                        o.Credential = AzureIdentity.Credential(clientId.Length == 0 ? null : clientId);
                    }
                });
                break;
        }

        configureHost?.Invoke(otel);
        return services;
    }

    /// <summary>
    /// <c>Telemetry:Exporter</c> when set; else Azure Monitor with an Application Insights connection string, OTLP with an
    /// OTLP endpoint, and nothing otherwise.
    /// </summary>
    public static TelemetryExporter ResolveExporter(IConfiguration configuration)
    {
        var configured = configuration[ExporterSetting];
        if (!string.IsNullOrWhiteSpace(configured))
        {
            if (!Enum.TryParse<TelemetryExporter>(configured, ignoreCase: true, out var exporter) || !Enum.IsDefined(exporter))
            {
                throw new OptionsValidationException("Telemetry", typeof(TelemetryExporter),
                    [$"{ExporterSetting} must be None, Console, Otlp or AzureMonitor, not '{configured}'."]);
            }

            if (exporter == TelemetryExporter.AzureMonitor && string.IsNullOrWhiteSpace(configuration[ConnectionStringSetting]))
            {
                throw new OptionsValidationException("Telemetry", typeof(TelemetryExporter),
                    [$"{ExporterSetting}=AzureMonitor needs {ConnectionStringSetting}."]);
            }

            return exporter;
        }

        return !string.IsNullOrWhiteSpace(configuration[ConnectionStringSetting]) ? TelemetryExporter.AzureMonitor
            : !string.IsNullOrWhiteSpace(configuration[OtlpEndpointSetting]) ? TelemetryExporter.Otlp
            : TelemetryExporter.None;
    }

    /// <summary>
    /// The client id of <c>APPLICATIONINSIGHTS_AUTHENTICATION_STRING</c> (<c>ClientId=…;Authorization=AAD</c>, as the Functions
    /// host reads it): empty for the default identity, null when the setting does not ask for Entra authentication.
    /// </summary>
    public static string? EntraClientId(string? authenticationString)
    {
        var parts = (authenticationString ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p => p.Split('=', 2))
            .Where(p => p.Length == 2)
            .GroupBy(p => p[0], StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.Last()[1], StringComparer.OrdinalIgnoreCase);
        return parts.TryGetValue("Authorization", out var kind) && string.Equals(kind, "AAD", StringComparison.OrdinalIgnoreCase)
            ? parts.GetValueOrDefault("ClientId") ?? ""
            : null;
    }

    /// <summary>Wraps every registration of <typeparamref name="TService"/> made so far.</summary>
    private static void Decorate<TService>(IServiceCollection services, Func<IServiceProvider, TService, TService> wrap)
        where TService : class
    {
        for (var i = 0; i < services.Count; i++)
        {
            var registration = services[i];
            if (registration.ServiceType != typeof(TService) || registration.IsKeyedService)
            {
                continue;
            }

            services[i] = ServiceDescriptor.Describe(typeof(TService), sp => wrap(sp, (TService)Create(sp, registration)), registration.Lifetime);
        }
    }

    private static object Create(IServiceProvider services, ServiceDescriptor registration) =>
        registration.ImplementationInstance
        ?? registration.ImplementationFactory?.Invoke(services)
        ?? ActivatorUtilities.CreateInstance(services, registration.ImplementationType!);
}
