using System.Text.Json;
using Playbooks.Infra.Tests.Arm;

namespace Playbooks.Infra.Tests.Bicep;

public class KeyVaultTests
{
    private static readonly ArmTemplate Module = ArmTemplate.Compiled.Module("keyvault");

    private static JsonElement Vault => Module.Resource("Microsoft.KeyVault/vaults").GetProperty("properties");

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
