using System.Text.Json;
using Playbooks.Infra.Tests.Arm;

namespace Playbooks.Infra.Tests.Bicep;

public class FunctionAppTests
{
    private static readonly ArmTemplate Module = ArmTemplate.Compiled.Module("functionapp");

    private static JsonElement Site => Module.Resource("Microsoft.Web/sites").GetProperty("properties");

    private static JsonElement SiteConfig => Site.GetProperty("siteConfig");

    [Fact]
    public void Site_HttpsOnly_IsOn()
    {
        Assert.True(Site.GetProperty("httpsOnly").GetBoolean());
    }

    [Fact]
    public void Site_MinimumTls_Is12()
    {
        Assert.Equal("1.2", SiteConfig.GetProperty("minTlsVersion").GetString());
        Assert.Equal("1.2", SiteConfig.GetProperty("scmMinTlsVersion").GetString());
    }

    [Fact]
    public void Site_Ftps_IsDisabled()
    {
        Assert.Equal("Disabled", SiteConfig.GetProperty("ftpsState").GetString());
    }

    [Theory]
    [InlineData("ftp")]
    [InlineData("scm")]
    public void BasicPublishingCredentials_FtpAndScm_AreNotAllowed(string policy)
    {
        var match = Module.ResourcesOfType("Microsoft.Web/sites/basicPublishingCredentialsPolicies")
            .Single(r => r.GetProperty("name").GetString()!.EndsWith($"'{policy}')]", StringComparison.Ordinal));

        Assert.False(match.GetProperty("properties").GetProperty("allow").GetBoolean());
    }

    [Fact]
    public void Plan_IsFlexConsumption()
    {
        var sku = Module.Resource("Microsoft.Web/serverfarms").GetProperty("sku");

        Assert.Equal("FC1", sku.GetProperty("name").GetString());
        Assert.Equal("FlexConsumption", sku.GetProperty("tier").GetString());
    }

    [Fact]
    public void FunctionAppConfig_Runtime_IsDotnetIsolated10()
    {
        var runtime = Site.GetProperty("functionAppConfig").GetProperty("runtime");

        Assert.Equal("dotnet-isolated", runtime.GetProperty("name").GetString());
        Assert.Equal("10.0", runtime.GetProperty("version").GetString());
    }

    [Fact]
    public void FunctionAppConfig_DeploymentStorage_UsesTheUserAssignedIdentity()
    {
        var storage = Site.GetProperty("functionAppConfig").GetProperty("deployment").GetProperty("storage");
        var authentication = storage.GetProperty("authentication");

        Assert.Equal("blobContainer", storage.GetProperty("type").GetString());
        Assert.Equal("UserAssignedIdentity", authentication.GetProperty("type").GetString());
        Assert.Contains("Microsoft.ManagedIdentity/userAssignedIdentities",
            Module.Resolve(authentication.GetProperty("userAssignedIdentityResourceId")).Text);
    }

    [Fact]
    public void Site_KeyVaultReferences_UseTheUserAssignedIdentity()
    {
        var identity = Module.Resolve(Site.GetProperty("keyVaultReferenceIdentity"));

        Assert.StartsWith("[resourceId('Microsoft.ManagedIdentity/userAssignedIdentities'", identity.Text);
    }

    [Fact]
    public void Cors_AllowedOrigins_AreExactlyTheStaticWebAppOrigin()
    {
        var cors = SiteConfig.GetProperty("cors");
        var origins = cors.GetProperty("allowedOrigins").EnumerateArray().ToList();

        var origin = Assert.Single(origins);
        var resolved = Module.Resolve(origin);
        Assert.Equal("staticwebapp", resolved.Template.Name);
        Assert.StartsWith("[format('https://{0}', reference(resourceId('Microsoft.Web/staticSites'", resolved.Text);
        Assert.EndsWith(".defaultHostname)]", resolved.Text);
        Assert.False(cors.GetProperty("supportCredentials").GetBoolean());
    }

    [Fact]
    public void Site_ServiceTag_IsApi()
    {
        var tags = Module.Resource("Microsoft.Web/sites").GetProperty("tags").GetString()!;

        Assert.Contains("'azd-service-name', 'api'", tags);
    }

    [Fact]
    public void PackageDeployment_IsOneDeployOfThePackageUrl()
    {
        var deployment = Module.Resource("Microsoft.Web/sites/extensions");
        var properties = deployment.GetProperty("properties");

        Assert.EndsWith("'onedeploy')]", deployment.GetProperty("name").GetString());
        Assert.Equal("[parameters('packageUrl')]", properties.GetProperty("packageUri").GetString());
        Assert.False(properties.GetProperty("remoteBuild").GetBoolean());
    }

    [Fact]
    public void PackageDeployment_EmptyPackageUrl_IsSkipped()
    {
        var deployment = Module.Resource("Microsoft.Web/sites/extensions");

        Assert.Equal("[not(empty(parameters('packageUrl')))]", deployment.GetProperty("condition").GetString());
    }

    [Fact]
    public void PackageDeployment_WaitsForTheAppSettings()
    {
        var dependsOn = Module.Resource("Microsoft.Web/sites/extensions").GetProperty("dependsOn").EnumerateArray().Select(d => d.GetString());

        Assert.Contains("[resourceId('Microsoft.Web/sites/config', parameters('name'), 'appsettings')]", dependsOn);
    }

    [Fact]
    public void PackageUrl_FromMain_DefaultsToEmpty()
    {
        var resolved = Module.ResolveParameter("packageUrl");
        var declared = ArmTemplate.Compiled.Parameters.Single(p => p.Name == "packageUrl").Value;

        Assert.Equal("[parameters('packageUrl')]", resolved.Text);
        Assert.Equal("", resolved.Template.Name);
        Assert.Equal("", declared.GetProperty("defaultValue").GetString());
    }
}
