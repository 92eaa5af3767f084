using Playbooks.Infra.Tests.Arm;

namespace Playbooks.Infra.Tests.Bicep;

public class MainTests
{
    private static readonly ArmTemplate Main = ArmTemplate.Compiled;

    private static string Output(string name) =>
        Main.Resolve(Main.Outputs.Single(o => o.Name == name).Value.GetProperty("value")).Text;

    [Fact]
    public void ApiBaseUrl_IsTheFunctionAppHttpsUrl()
    {
        Assert.Equal("[format('https://{0}', reference(resourceId('Microsoft.Web/sites', parameters('name')), '2024-11-01').defaultHostName)]",
            Output("API_BASE_URL"));
    }

    [Theory]
    [InlineData("TWILIO_VOICE_URL", "/api/twilio/voice")]
    [InlineData("TWILIO_STATUS_URL", "/api/twilio/status")]
    [InlineData("TWILIO_PREFLIGHT_URL", "/api/twilio/preflight")]
    public void TwilioUrls_ArePathsOfTheApi(string output, string path)
    {
        Assert.Equal($"[format('{{0}}{path}', reference(resourceId('Microsoft.Resources/deployments', 'functionapp'), '2025-04-01').outputs.url.value)]",
            Main.Outputs.Single(o => o.Name == output).Value.GetProperty("value").GetString());
    }

    [Fact]
    public void WebAppUrl_IsTheStaticWebAppOrigin()
    {
        Assert.StartsWith("[format('https://{0}', reference(resourceId('Microsoft.Web/staticSites'", Output("WEB_APP_URL"));
    }

    [Fact]
    public void Outputs_AreUpperCase()
    {
        Assert.All(Main.Outputs, o => Assert.Matches("^[A-Z][A-Z0-9_]*$", o.Name));
    }

    [Fact]
    public void StaticWebApp_ApiBaseUrlSetting_IsTheFunctionAppUrl()
    {
        var settings = Main.Module("staticwebapp-settings");
        var apiBaseUrl = settings.Resource("Microsoft.Web/staticSites/config").GetProperty("properties").GetProperty("API_BASE_URL");

        Assert.Equal(Output("API_BASE_URL"), settings.Resolve(apiBaseUrl).Text);
    }

    [Fact]
    public void StaticWebApp_ServiceTag_IsWeb()
    {
        var web = Main.Module("staticwebapp").Resource("Microsoft.Web/staticSites");

        Assert.Contains("'azd-service-name', 'web'", web.GetProperty("tags").GetString());
    }

    [Fact]
    public void Template_IsResourceGroupScoped()
    {
        Assert.Equal("https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
            Main.Root.GetProperty("$schema").GetString());
    }
}
