using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Playbooks.Calling.Crm;
using Playbooks.Calling.Telemetry;
using Playbooks.Functions.Telemetry;

namespace Playbooks.Functions.Tests.Telemetry;

public class TelemetryServiceCollectionExtensionsTests
{
    private const string ConnectionString = "InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=https://example.invalid/";

    [Theory]
    [InlineData(null, null, null, TelemetryExporter.None)]
    [InlineData(null, ConnectionString, null, TelemetryExporter.AzureMonitor)]
    [InlineData(null, null, "http://localhost:4317", TelemetryExporter.Otlp)]
    [InlineData(null, ConnectionString, "http://localhost:4317", TelemetryExporter.AzureMonitor)]
    [InlineData("console", ConnectionString, null, TelemetryExporter.Console)]
    [InlineData("Otlp", null, null, TelemetryExporter.Otlp)]
    [InlineData("none", ConnectionString, null, TelemetryExporter.None)]
    public void ResolveExporter_Settings_ChoosesTheExporter(string? exporter, string? connectionString, string? otlpEndpoint, TelemetryExporter expected)
    {
        // Arrange
        var configuration = Configuration(new()
        {
            [TelemetryServiceCollectionExtensions.ExporterSetting] = exporter,
            [TelemetryServiceCollectionExtensions.ConnectionStringSetting] = connectionString,
            [TelemetryServiceCollectionExtensions.OtlpEndpointSetting] = otlpEndpoint,
        });

        // Act
        var resolved = TelemetryServiceCollectionExtensions.ResolveExporter(configuration);

        // Assert
        Assert.Equal(expected, resolved);
    }

    [Theory]
    [InlineData("zipkin", "Telemetry:Exporter")]
    [InlineData("AzureMonitor", "APPLICATIONINSIGHTS_CONNECTION_STRING")]
    public void ResolveExporter_UnusableSetting_FailsNamingTheSetting(string exporter, string named)
    {
        // Arrange
        var configuration = Configuration(new() { [TelemetryServiceCollectionExtensions.ExporterSetting] = exporter });

        // Act
        var error = Assert.Throws<OptionsValidationException>(() => TelemetryServiceCollectionExtensions.ResolveExporter(configuration));

        // Assert
        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ClientId=11111111-1111-1111-1111-111111111111;Authorization=AAD", "11111111-1111-1111-1111-111111111111")]
    [InlineData("Authorization=aad", "")]
    [InlineData("ClientId=11111111-1111-1111-1111-111111111111", null)]
    [InlineData(null, null)]
    public void EntraClientId_AuthenticationString_ClientIdWhenEntraIsAskedFor(string? authenticationString, string? expected)
    {
        // Act
        var clientId = TelemetryServiceCollectionExtensions.EntraClientId(authenticationString);

        // Assert
        Assert.Equal(expected, clientId);
    }

    [Fact]
    public async Task AddPlaybooksTelemetry_ConsoleExporter_ProvidersBuiltAndEveryCrmConnectorCounted()
    {
        // Arrange
        var configuration = Configuration(new()
        {
            ["Storage:ConnectionString"] = "UseDevelopmentStorage=true",
            [TelemetryServiceCollectionExtensions.ExporterSetting] = "Console",
        });
        var services = new ServiceCollection().AddLogging().AddSingleton<IConfiguration>(configuration);
        services.AddPlaybooksFunctions(configuration);

        // Act
        services.AddPlaybooksTelemetry(configuration);
        await using var provider = services.BuildServiceProvider();

        // Assert
        Assert.NotNull(provider.GetService<TracerProvider>());
        Assert.NotNull(provider.GetService<MeterProvider>());
        var connectors = provider.GetServices<ICrmConnector>().ToList();
        Assert.Equal([CrmProvider.Salesforce, CrmProvider.Dynamics], connectors.Select(c => c.Provider));
        Assert.All(connectors, c => Assert.IsType<TracedCrmConnector>(c));
    }

    [Fact]
    public async Task AddPlaybooksTelemetry_NoExporter_NoProvidersSoNothingListens()
    {
        // Arrange
        var configuration = Configuration(new() { ["Storage:ConnectionString"] = "UseDevelopmentStorage=true" });
        var services = new ServiceCollection().AddLogging().AddSingleton<IConfiguration>(configuration);
        services.AddPlaybooksFunctions(configuration);

        // Act
        services.AddPlaybooksTelemetry(configuration);
        await using var provider = services.BuildServiceProvider();

        // Assert
        Assert.Null(provider.GetService<TracerProvider>());
        Assert.All(provider.GetServices<ICrmConnector>(), c => Assert.IsType<TracedCrmConnector>(c));
    }

    private static IConfiguration Configuration(Dictionary<string, string?> settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
}
