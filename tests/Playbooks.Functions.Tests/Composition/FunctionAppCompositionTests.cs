using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Playbooks.Calling.CallEvents;
using Playbooks.Functions.Auth;

namespace Playbooks.Functions.Tests.Composition;

/// <summary>
/// The Function App's composition as Azure runs it (the settings infra/bicep sets, Service Bus transport):
/// every options class validates and every function class can be built. A missing registration or setting
/// would otherwise only show when the deployed app starts.
/// </summary>
public class FunctionAppCompositionTests
{
    private static readonly Dictionary<string, string?> AzureSettings = new()
    {
        ["Storage:TableServiceUri"] = "https://stexample.table.core.windows.net",
        ["Storage:QueueServiceUri"] = "https://stexample.queue.core.windows.net",
        ["Storage:BlobServiceUri"] = "https://stexample.blob.core.windows.net",
        ["Storage:ClientId"] = "11111111-1111-1111-1111-111111111111",
        ["ServiceBus:FullyQualifiedNamespace"] = "sb-example.servicebus.windows.net",
        ["ServiceBus:QueueName"] = "call-events",
        ["ServiceBus:ClientId"] = "11111111-1111-1111-1111-111111111111",
        ["CallEvents:Transport"] = "ServiceBus",
        ["CallEventsDrainSchedule"] = "*/5 * * * * *",
        ["CrmSyncSchedule"] = "0 * * * * *",
        ["AzureAd:Instance"] = "https://login.microsoftonline.com/",
        ["AzureAd:TenantId"] = "22222222-2222-2222-2222-222222222222",
        ["AzureAd:ClientId"] = "33333333-3333-3333-3333-333333333333",
        ["AzureAd:Audience"] = "api://33333333-3333-3333-3333-333333333333",
        ["Auth:OrgClaim"] = "org_id",
        ["Auth:SupportTenantId"] = "44444444-4444-4444-4444-444444444444",
        ["Twilio:AccountSid"] = "AC0123456789abcdef0123456789abcdef",
        ["Twilio:ApiKeySid"] = "SK0123456789abcdef0123456789abcdef",
        ["Twilio:ApiKeySecret"] = "a-test-api-key-secret-of-32-chars-or-more",
        ["Twilio:AuthToken"] = "a-test-auth-token",
        ["Twilio:TwimlAppSid"] = "AP0123456789abcdef0123456789abcdef",
        ["Twilio:PublicBaseUrl"] = "https://func-example.azurewebsites.net",
        ["KeyVault:Uri"] = "https://kv-example.vault.azure.net/",
    };

    [Fact]
    public async Task Compose_AzureSettings_EveryFunctionClassResolvesAndOptionsValidate()
    {
        await using var services = Compose(AzureSettings);

        services.GetRequiredService<Microsoft.Extensions.Options.IStartupValidator>().Validate();
        var functionTypes = EntryPointTypes();
        Assert.NotEmpty(functionTypes);
        Assert.All(functionTypes, type => Assert.NotNull(ActivatorUtilities.CreateInstance(services, type)));
        Assert.IsType<ServiceBusCallEventPublisher>(services.GetRequiredService<ICallEventPublisher>());
    }

    [Theory]
    [InlineData("Twilio:AuthToken")]
    [InlineData("Storage:TableServiceUri")]
    [InlineData("Storage:BlobServiceUri")]
    [InlineData("ServiceBus:FullyQualifiedNamespace")]
    public async Task Compose_RequiredSettingMissing_FailsAtStartNamingIt(string setting)
    {
        var settings = new Dictionary<string, string?>(AzureSettings) { [setting] = null };
        await using var services = Compose(settings);

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains(setting.Split(':')[0], error.Message);
    }

    [Theory]
    [InlineData("common")]
    [InlineData("organizations")]
    [InlineData("consumers")]
    [InlineData("contoso.onmicrosoft.com")]
    [InlineData(null)]
    public async Task Compose_TenantNotAGuid_FailsAtStartNamingAzureAdTenantId(string? tenant)
    {
        var settings = new Dictionary<string, string?>(AzureSettings) { ["AzureAd:TenantId"] = tenant };
        await using var services = Compose(settings);

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("AzureAd:TenantId", error.Message);
    }

    [Fact]
    public async Task Compose_SupportTenantNotAGuid_FailsAtStartNamingIt()
    {
        var settings = new Dictionary<string, string?>(AzureSettings) { ["Auth:SupportTenantId"] = "common" };
        await using var services = Compose(settings);

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("Auth:SupportTenantId", error.Message);
    }

    private static ServiceProvider Compose(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddLogging().AddSingleton<IConfiguration>(configuration);
        services.AddPlaybooksFunctions(configuration);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
    }

    private static List<Type> EntryPointTypes()
    {
        using var metadata = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "functions.metadata")));
        return metadata.RootElement.EnumerateArray()
            .Select(f => ApiAuthorizationMiddleware.ResolveEntryPoint(f.GetProperty("entryPoint").GetString()!).DeclaringType!)
            .Distinct()
            .ToList();
    }
}
