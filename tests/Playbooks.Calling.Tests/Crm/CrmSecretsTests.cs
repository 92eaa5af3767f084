using Azure;
using Azure.Security.KeyVault.Secrets;
using Microsoft.Extensions.Configuration;
using Moq;
using Playbooks.Calling.Crm;

namespace Playbooks.Calling.Tests.Crm;

public sealed class CrmSecretsTests
{
    private const string OrgASecret = "crm-org-a-client-secret";
    private readonly FakeTimeProvider _clock = new(CrmTestKit.Start);
    private readonly Mock<SecretClient> _vault = new(MockBehavior.Strict);

    private CrmSecrets Secrets(Dictionary<string, string?>? settings = null) =>
        new(new ConfigurationBuilder().AddInMemoryCollection(settings ?? []).Build(), CrmTestKit.Options(), _clock, _vault.Object);

    private void GivenVaultSecret(string name, string value) =>
        _vault.Setup(v => v.GetSecretAsync(name, null, It.IsAny<SecretContentType?>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(Response.FromValue(SecretModelFactory.KeyVaultSecret(new SecretProperties(name), value), Mock.Of<Response>()));

    [Fact]
    public async Task GetAsync_ConfiguredLocally_UsesConfigurationNotVault()
    {
        var value = await Secrets(new() { [$"Crm:Secrets:{OrgASecret}"] = "local-value" }).GetAsync("org-a", CancellationToken.None);

        Assert.Equal("local-value", value);
    }

    [Fact]
    public async Task GetAsync_OtherNamesConfigured_NeverReadsThem()
    {
        var secrets = new CrmSecrets(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Crm:Secrets:twilio-auth-token"] = "twilio-token",
            ["Crm:Secrets:crm-org-b-client-secret"] = "org-b-secret",
        }).Build(), CrmTestKit.Options(), _clock);

        var error = await Assert.ThrowsAsync<CrmException>(() => secrets.GetAsync("org-a", CancellationToken.None));

        Assert.Contains(OrgASecret, error.Message);
        Assert.DoesNotContain("twilio-token", error.Message);
    }

    [Fact]
    public async Task GetAsync_InVault_ReadsTheOrgsComposedNameOnceWithinCacheDuration()
    {
        GivenVaultSecret(OrgASecret, "vault-value");
        var secrets = Secrets();

        var first = await secrets.GetAsync("org-a", CancellationToken.None);
        _clock.Advance(TimeSpan.FromMinutes(5));
        var second = await secrets.GetAsync("org-a", CancellationToken.None);

        Assert.Equal(("vault-value", "vault-value"), (first, second));
        _vault.Verify(v => v.GetSecretAsync(OrgASecret, null, It.IsAny<SecretContentType?>(), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task GetAsync_MissingFromVault_PermanentErrorNamingTheSecret()
    {
        _vault.Setup(v => v.GetSecretAsync(OrgASecret, null, It.IsAny<SecretContentType?>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new RequestFailedException(404, "SecretNotFound"));

        var error = await Assert.ThrowsAsync<CrmException>(() => Secrets().GetAsync("org-a", CancellationToken.None));

        Assert.Equal((CrmErrorKind.Permanent, true), (error.Kind, error.StopsOrg));
        Assert.Equal($"The client secret '{OrgASecret}' is not in the CRM Key Vault.", error.Message);
    }

    [Fact]
    public async Task GetAsync_NoVaultNoSetting_SaysWhatToConfigure()
    {
        var secrets = new CrmSecrets(new ConfigurationBuilder().Build(), CrmTestKit.Options(), _clock);

        var error = await Assert.ThrowsAsync<CrmException>(() => secrets.GetAsync("org-a", CancellationToken.None));

        Assert.Contains("Crm:KeyVaultUri", error.Message);
        Assert.Contains($"Crm:Secrets:{OrgASecret}", error.Message);
    }
}
