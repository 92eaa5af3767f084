using System.Text.Json;
using Playbooks.Infra.Tests.Arm;

namespace Playbooks.Infra.Tests.Bicep;

public class AppSettingsTests
{
    private static readonly ArmTemplate Module = ArmTemplate.Compiled.Module("functionapp");

    private static IReadOnlyDictionary<string, JsonElement> Settings => Module
        .ResourcesOfType("Microsoft.Web/sites/config")
        .Single(r => r.GetProperty("name").GetString()!.Contains("'appsettings'", StringComparison.Ordinal))
        .GetProperty("properties")
        .EnumerateObject()
        .ToDictionary(p => p.Name, p => p.Value);

    private static string Resolved(string name) => Module.Resolve(Settings[name]).Text;

    [Fact]
    public void Settings_SecretLikeNames_AreKeyVaultReferences()
    {
        // A setting is secret-like when its last segment names a secret (AuthToken, ApiKeySecret, AccountKey...);
        // Twilio__ApiKeySid and Crm__KeyVaultUri are identifiers, not secrets.
        string[] secretEndings = ["Secret", "Token", "Password", "Key"];
        var secretLike = Settings.Keys
            .Where(name => secretEndings.Any(ending => name.Split("__")[^1].EndsWith(ending, StringComparison.OrdinalIgnoreCase)))
            .ToList();

        Assert.Equal(["Twilio__AuthToken", "Twilio__ApiKeySecret"], secretLike);
        Assert.All(secretLike, name => Assert.Contains("@Microsoft.KeyVault(SecretUri=", Resolved(name)));
    }

    [Fact]
    public void Settings_EverySettingABindingNames_IsSet()
    {
        // Timer schedules are written %Name% in the bindings; a missing one stops that function from starting.
        var metadata = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "functions.metadata"));
        var named = System.Text.RegularExpressions.Regex.Matches(metadata, "%([A-Za-z0-9_]+)%").Select(m => m.Groups[1].Value).Distinct().ToList();

        Assert.Contains("CallEventsDrainSchedule", named);
        Assert.All(named, name => Assert.True(Settings.ContainsKey(name), $"{name} is named by a binding but not set by the template."));
    }

    [Theory]
    [InlineData("Twilio__AuthToken", "twilio-auth-token")]
    [InlineData("Twilio__ApiKeySecret", "twilio-api-key-secret")]
    public void TwilioSecret_IsReferenceToItsVaultSecret(string setting, string secretName)
    {
        var value = Resolved(setting);

        Assert.StartsWith("[format('@Microsoft.KeyVault(SecretUri={0})', reference(resourceId('Microsoft.KeyVault/vaults/secrets'", value);
        Assert.Contains($"'{secretName}')", value);
    }

    [Fact]
    public void Settings_NoValue_ComesFromASecureParameter()
    {
        var leaks = Settings.Keys.Select(name => (name, value: Module.Resolve(Settings[name])))
            .Where(s => s.value.IsSecureParameter)
            .Select(s => s.name);

        Assert.Empty(leaks);
    }

    [Theory]
    [InlineData("AzureWebJobsStorage__accountName")]
    [InlineData("AzureWebJobsStorage__credential")]
    [InlineData("AzureWebJobsStorage__clientId")]
    [InlineData("Storage__TableServiceUri")]
    [InlineData("Storage__QueueServiceUri")]
    [InlineData("Storage__BlobServiceUri")]
    [InlineData("Storage__ClientId")]
    [InlineData("ServiceBus__FullyQualifiedNamespace")]
    [InlineData("ServiceBus__QueueName")]
    [InlineData("ServiceBus__ClientId")]
    [InlineData("CallEvents__Transport")]
    [InlineData("CallEventsDrainSchedule")]
    [InlineData("AzureAd__Instance")]
    [InlineData("AzureAd__TenantId")]
    [InlineData("AzureAd__ClientId")]
    [InlineData("AzureAd__Audience")]
    [InlineData("Auth__OrgClaim")]
    [InlineData("Twilio__AccountSid")]
    [InlineData("Twilio__ApiKeySid")]
    [InlineData("Twilio__TwimlAppSid")]
    [InlineData("Twilio__PreflightTwimlAppSid")]
    [InlineData("Twilio__PublicBaseUrl")]
    [InlineData("Twilio__DefaultCallerId")]
    [InlineData("Twilio__AuthToken")]
    [InlineData("Twilio__ApiKeySecret")]
    [InlineData("Crm__KeyVaultUri")]
    [InlineData("APPLICATIONINSIGHTS_CONNECTION_STRING")]
    [InlineData("APPLICATIONINSIGHTS_AUTHENTICATION_STRING")]
    public void Settings_ContractSetting_IsPresent(string name)
    {
        Assert.Contains(name, Settings.Keys);
    }

    [Theory]
    [InlineData("AzureWebJobsStorage__clientId")]
    [InlineData("Storage__ClientId")]
    [InlineData("ServiceBus__ClientId")]
    public void ClientIdSettings_AreTheUserAssignedIdentity(string name)
    {
        Assert.EndsWith("'2024-11-30').clientId]", Resolved(name));
        Assert.Contains("Microsoft.ManagedIdentity/userAssignedIdentities", Resolved(name));
    }

    [Fact]
    public void HostStorage_UsesManagedIdentity()
    {
        Assert.Equal("managedidentity", Resolved("AzureWebJobsStorage__credential"));
        Assert.DoesNotContain("AzureWebJobsStorage", Settings.Keys);
    }

    [Fact]
    public void CallEvents_GoThroughTheServiceBusQueue()
    {
        Assert.Equal("ServiceBus", Resolved("CallEvents__Transport"));
        Assert.Equal("call-events", Resolved("ServiceBus__QueueName"));
        Assert.Equal("*/5 * * * * *", Resolved("CallEventsDrainSchedule"));
        Assert.Contains("serviceBusEndpoint", Resolved("ServiceBus__FullyQualifiedNamespace"));
    }

    [Fact]
    public void ApplicationInsights_AuthenticatesWithEntra()
    {
        Assert.Equal("[format('ClientId={0};Authorization=AAD', parameters('identityClientId'))]",
            Settings["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"].GetString());
    }

    [Fact]
    public void Audience_IsApiUriOfClientId()
    {
        Assert.Equal("[format('api://{0}', parameters('entraClientId'))]", Settings["AzureAd__Audience"].GetString());
    }

    [Fact]
    public void PublicBaseUrl_IsTheFunctionAppHttpsHost()
    {
        Assert.Equal("[format('https://{0}', reference(resourceId('Microsoft.Web/sites', parameters('name')), '2024-11-01').defaultHostName)]",
            Resolved("Twilio__PublicBaseUrl"));
    }

    [Fact]
    public void PreflightTwimlAppSid_IsTheOptionalParameter()
    {
        Assert.Equal("[parameters('twilioPreflightTwimlAppSid')]", Settings["Twilio__PreflightTwimlAppSid"].GetString());
    }
}
