using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Playbooks.Calling.Crm;

namespace Playbooks.Calling.Tests.Crm;

public sealed class CrmServiceCollectionExtensionsTests
{
    private static IServiceCollection Compose(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection().AddLogging().AddPlaybooksCrm(configuration);
    }

    [Fact]
    public void AddPlaybooksCrm_CrmVaultIsTheAppsVault_RefusedAtStart()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Compose(new()
        {
            ["KeyVault:Uri"] = "https://kv-app.vault.azure.net/",
            ["Crm:KeyVaultUri"] = "https://KV-APP.vault.azure.net",
        }));

        Assert.Contains("Crm:KeyVaultUri", error.Message);
    }

    [Fact]
    public async Task AddPlaybooksCrm_OnlyTheAppsVault_CrmSecretsNeverReadFromIt()
    {
        await using var services = Compose(new() { ["KeyVault:Uri"] = "https://kv-app.vault.azure.net/" }).BuildServiceProvider();

        var error = await Assert.ThrowsAsync<CrmException>(() => services.GetRequiredService<CrmSecrets>().GetAsync("org-a", CancellationToken.None));

        Assert.Contains("set Crm:KeyVaultUri", error.Message);
    }

    [Fact]
    public async Task AddPlaybooksCrm_SeparateCrmVault_OptionsBindAndLoopbackHttpStaysOff()
    {
        await using var services = Compose(new()
        {
            ["KeyVault:Uri"] = "https://kv-app.vault.azure.net/",
            ["Crm:KeyVaultUri"] = "https://kv-crm.vault.azure.net/",
        }).BuildServiceProvider();

        var options = services.GetRequiredService<Microsoft.Extensions.Options.IOptions<CrmOptions>>().Value;

        Assert.Equal(new Uri("https://kv-crm.vault.azure.net/"), options.KeyVaultUri);
        Assert.False(options.AllowLoopbackHttp);
        Assert.NotNull(services.GetRequiredService<CrmSecrets>());
    }

    [Fact]
    public async Task AddPlaybooksCrm_EmptyCrmVaultSetting_NoVaultAndOptionsStillBind()
    {
        await using var services = Compose(new() { ["Crm:KeyVaultUri"] = "" }).BuildServiceProvider();

        var error = await Assert.ThrowsAsync<CrmException>(() => services.GetRequiredService<CrmSecrets>().GetAsync("org-a", CancellationToken.None));

        Assert.Contains("set Crm:KeyVaultUri", error.Message);
        _ = services.GetRequiredService<Microsoft.Extensions.Options.IOptions<CrmOptions>>().Value;
    }
}
