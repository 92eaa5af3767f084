namespace Playbooks.DevServer.Tests.Security;

/// <summary>Settings that would open the API to every Entra tenant stop the app at start, naming the setting.</summary>
public sealed class EdgeStartupTests
{
    [Theory]
    [InlineData("common")]
    [InlineData("organizations")]
    [InlineData("consumers")]
    public void Start_MultiTenantAuthority_FailsNamingAzureAdTenantId(string tenant)
    {
        using var production = new ProductionDevServerFactory(new Dictionary<string, string?> { ["AzureAd:TenantId"] = tenant });

        var error = Assert.ThrowsAny<Exception>(() => production.CreateClient());

        Assert.Contains("AzureAd:TenantId", error.ToString());
    }

    [Fact]
    public void Start_SupportTenantNotAGuid_FailsNamingIt()
    {
        using var production = new ProductionDevServerFactory(new Dictionary<string, string?> { ["Auth:SupportTenantId"] = "vendor.onmicrosoft.com" });

        var error = Assert.ThrowsAny<Exception>(() => production.CreateClient());

        Assert.Contains("Auth:SupportTenantId", error.ToString());
    }

    [Fact]
    public async Task Start_ProductionSettingsWithTenantGuid_Serves()
    {
        await using var production = new ProductionDevServerFactory();

        var response = await production.CreateClient().GetAsync("/api/health");

        Assert.True(response.IsSuccessStatusCode || (int)response.StatusCode == 503, $"health answered {(int)response.StatusCode}");
    }
}
