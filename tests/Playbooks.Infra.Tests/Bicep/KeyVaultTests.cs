using System.Text.Json;
using Playbooks.Infra.Tests.Arm;

namespace Playbooks.Infra.Tests.Bicep;

public class KeyVaultTests
{
    private static readonly ArmTemplate Module = ArmTemplate.Compiled.Module("keyvault");

    private static readonly ArmTemplate CrmModule = ArmTemplate.Compiled.Module("crm-keyvault");

    private static JsonElement Vault => Module.Resource("Microsoft.KeyVault/vaults").GetProperty("properties");

    private static JsonElement VaultOf(string module) =>
        ArmTemplate.Compiled.Module(module).Resource("Microsoft.KeyVault/vaults").GetProperty("properties");

    [Fact]
    public void PurgeProtection_MainParameter_IsOnByDefault()
    {
        var parameter = ArmTemplate.Compiled.Parameters.Single(p => p.Name == "enableKeyVaultPurgeProtection").Value;

        Assert.Equal("bool", parameter.GetProperty("type").GetString());
        Assert.True(parameter.GetProperty("defaultValue").GetBoolean());
    }

    [Theory]
    [InlineData("keyvault")]
    [InlineData("crm-keyvault")]
    public void PurgeProtection_BothVaults_FollowTheMainParameter(string module)
    {
        var template = ArmTemplate.Compiled.Module(module);

        Assert.Equal("[if(parameters('enablePurgeProtection'), true(), null())]", VaultOf(module).GetProperty("enablePurgeProtection").GetString());
        Assert.Equal("[parameters('enableKeyVaultPurgeProtection')]", template.ResolveParameter("enablePurgeProtection").Text);
    }

    [Theory]
    [InlineData("keyvault")]
    [InlineData("crm-keyvault")]
    public void NetworkIsolation_BothVaults_RefusePublicTrafficWhenOn(string module)
    {
        var vault = VaultOf(module);

        Assert.Equal("[if(parameters('enableNetworkIsolation'), 'Disabled', 'Enabled')]", vault.GetProperty("publicNetworkAccess").GetString());
        Assert.Equal("[if(parameters('enableNetworkIsolation'), 'Deny', 'Allow')]", vault.GetProperty("networkAcls").GetProperty("defaultAction").GetString());
        Assert.Equal("[parameters('enableNetworkIsolation')]", ArmTemplate.Compiled.Module(module).ResolveParameter("enableNetworkIsolation").Text);
    }

    [Fact]
    public void CrmVault_IsASeparateVaultWithNoSecretsOfItsOwn()
    {
        var crmName = CrmModule.ResolveParameter("name").Text;
        var twilioName = Module.ResolveParameter("name").Text;

        Assert.NotEqual(twilioName, crmName);
        Assert.Contains("crm-", crmName, StringComparison.Ordinal);
        Assert.True(VaultOf("crm-keyvault").GetProperty("enableRbacAuthorization").GetBoolean());
        Assert.Empty(CrmModule.ResourcesOfType("Microsoft.KeyVault/vaults/secrets"));
    }

    [Fact]
    public void CrmKeyVaultUriSetting_PointsAtTheCrmVault_AndNoSettingPointsAtTheTwilioVault()
    {
        var app = ArmTemplate.Compiled.Module("functionapp");
        var settings = app.ResourcesOfType("Microsoft.Web/sites/config")
            .Single(r => r.GetProperty("name").GetString()!.Contains("'appsettings'", StringComparison.Ordinal))
            .GetProperty("properties");

        var crmVaultUri = app.Resolve(settings.GetProperty("Crm__KeyVaultUri"));

        Assert.Equal("crm-keyvault", crmVaultUri.Template.Name);
        Assert.Equal("[reference(resourceId('Microsoft.KeyVault/vaults', parameters('name')), '2024-11-01').vaultUri]", crmVaultUri.Text);
        Assert.False(settings.TryGetProperty("KeyVault__Uri", out _));
        Assert.DoesNotContain(settings.EnumerateObject(), s =>
            app.Resolve(s.Value) is { Template.Name: "keyvault" } resolved && resolved.Text.Contains(".vaultUri", StringComparison.Ordinal));
    }

    [Fact]
    public void Vault_UsesRbacAuthorization()
    {
        Assert.True(Vault.GetProperty("enableRbacAuthorization").GetBoolean());
        Assert.False(Vault.TryGetProperty("accessPolicies", out _));
    }

    [Fact]
    public void Vault_SoftDelete_IsOn()
    {
        Assert.True(Vault.GetProperty("enableSoftDelete").GetBoolean());
    }

    [Theory]
    [InlineData("twilio-auth-token", "twilioAuthToken")]
    [InlineData("twilio-api-key-secret", "twilioApiKeySecret")]
    public void Secret_ValueComesFromSecureParameterOfMain(string secretName, string mainParameter)
    {
        var secret = Module.ResourcesOfType("Microsoft.KeyVault/vaults/secrets")
            .Single(s => s.GetProperty("name").GetString()!.Contains($"'{secretName}'", StringComparison.Ordinal));

        var value = Module.Resolve(secret.GetProperty("properties").GetProperty("value"));

        Assert.Equal($"[parameters('{mainParameter}')]", value.Text);
        Assert.True(value.IsSecureParameter);
    }
}
