using Azure;
using Azure.Security.KeyVault.Secrets;
using Microsoft.Extensions.Configuration;
using Moq;
using Playbooks.Calling.Crm;

namespace Playbooks.Calling.Tests.Crm;

public sealed class CrmSecretsTests
{
    private readonly ManualTime _clock = new(CrmTestKit.Start);
    private readonly Mock<SecretClient> _vault = new(MockBehavior.Strict);

    private CrmSecrets Secrets(Dictionary<string, string?>? settings = null) =>
        new(new ConfigurationBuilder().AddInMemoryCollection(settings ?? []).Build(), CrmTestKit.Options(), _clock, _vault.Object);

    private void GivenVaultSecret(string name, string value) =>
        _vault.Setup(v => v.GetSecretAsync(name, null, It.IsAny<SecretContentType?>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(Response.FromValue(SecretModelFactory.KeyVaultSecret(new SecretProperties(name), value), Mock.Of<Response>()));

    [Fact]
    public async Task GetAsync_ConfiguredLocally_UsesConfigurationNotVault()
    {
        var value = await Secrets(new() { ["Crm:Secrets:acme-sf"] = "local-value" }).GetAsync("acme-sf", CancellationToken.None);

        Assert.Equal("local-value", value);
    }

    [Fact]
    public async Task GetAsync_InVault_ReadOnceWithinCacheDuration()
    {
        GivenVaultSecret("acme-sf", "vault-value");
        var secrets = Secrets();

        var first = await secrets.GetAsync("acme-sf", CancellationToken.None);
        _clock.Advance(TimeSpan.FromMinutes(5));
        var second = await secrets.GetAsync("acme-sf", CancellationToken.None);

        Assert.Equal(("vault-value", "vault-value"), (first, second));
        _vault.Verify(v => v.GetSecretAsync("acme-sf", null, It.IsAny<SecretContentType?>(), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task GetAsync_MissingFromVault_PermanentErrorNamingTheSecret()
    {
        _vault.Setup(v => v.GetSecretAsync("acme-sf", null, It.IsAny<SecretContentType?>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new RequestFailedException(404, "SecretNotFound"));

        var error = await Assert.ThrowsAsync<CrmException>(() => Secrets().GetAsync("acme-sf", CancellationToken.None));

        Assert.Equal((CrmErrorKind.Permanent, true), (error.Kind, error.StopsOrg));
        Assert.Equal("The client secret 'acme-sf' is not in Key Vault.", error.Message);
    }

    [Fact]
    public async Task GetAsync_NoVaultNoSetting_SaysWhatToConfigure()
    {
        var secrets = new CrmSecrets(new ConfigurationBuilder().Build(), CrmTestKit.Options(), _clock);

        var error = await Assert.ThrowsAsync<CrmException>(() => secrets.GetAsync("acme-sf", CancellationToken.None));

        Assert.Contains("KeyVault:Uri", error.Message);
    }
}
