using System.Text.Json;
using System.Text.RegularExpressions;
using Playbooks.Infra.Tests.Arm;

namespace Playbooks.Infra.Tests;

public class CreateUiDefinitionTests
{
    private static readonly JsonElement Definition = Load();

    private static JsonElement Parameters => Definition.GetProperty("parameters");

    [Fact]
    public void Outputs_AreTemplateParameters()
    {
        var templateParameters = ArmTemplate.Compiled.Parameters.Select(p => p.Name).ToHashSet();

        var unknown = Parameters.GetProperty("outputs").EnumerateObject().Select(o => o.Name).Where(n => !templateParameters.Contains(n));

        Assert.Empty(unknown);
    }

    [Fact]
    public void Outputs_CoverEveryRequiredTemplateParameter()
    {
        var outputs = Parameters.GetProperty("outputs").EnumerateObject().Select(o => o.Name).ToHashSet();

        var missing = ArmTemplate.Compiled.Parameters
            .Where(p => !p.Value.TryGetProperty("defaultValue", out _))
            .Select(p => p.Name)
            .Where(n => !outputs.Contains(n));

        Assert.Empty(missing);
    }

    [Theory]
    [InlineData("twilioAuthToken")]
    [InlineData("twilioApiKeySecret")]
    public void SecretOutputs_ComeFromPasswordBoxes(string output)
    {
        var expression = Parameters.GetProperty("outputs").GetProperty(output).GetString()!;
        var match = Regex.Match(expression, @"^\[steps\('([^']+)'\)\.([A-Za-z0-9]+)\]$");
        Assert.True(match.Success, expression);

        var step = Parameters.GetProperty("steps").EnumerateArray().Single(s => s.GetProperty("name").GetString() == match.Groups[1].Value);
        var element = step.GetProperty("elements").EnumerateArray().Single(e => e.GetProperty("name").GetString() == match.Groups[2].Value);

        Assert.Equal("Microsoft.Common.PasswordBox", element.GetProperty("type").GetString());
        Assert.True(element.GetProperty("constraints").GetProperty("required").GetBoolean());
    }

    [Fact]
    public void Handler_IsCreateUiDef()
    {
        Assert.Equal("Microsoft.Azure.CreateUIDef", Definition.GetProperty("handler").GetString());
        Assert.Equal(["twilio", "entra", "bootstrap"], Parameters.GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("name").GetString()));
    }

    [Theory]
    [InlineData("bootstrapOrgId", "[steps('bootstrap').orgId]")]
    [InlineData("bootstrapOrgName", "[steps('bootstrap').orgName]")]
    [InlineData("bootstrapAdminObjectId", "[steps('bootstrap').adminObjectId]")]
    [InlineData("supportTenantId", "[steps('entra').supportTenantId]")]
    public void Outputs_AskForFirstOrgAndSupportTenant(string output, string source)
    {
        Assert.Equal(source, Parameters.GetProperty("outputs").GetProperty(output).GetString());
    }

    [Fact]
    public void PackageUrl_ComesFromTheBasicsTextBox()
    {
        Assert.Equal("[basics('packageUrl')]", Parameters.GetProperty("outputs").GetProperty("packageUrl").GetString());
        Assert.Equal("Microsoft.Common.TextBox", PackageUrlElement.GetProperty("type").GetString());
    }

    [Fact]
    public void PackageUrl_Default_IsEmptyOrAnHttpsZip()
    {
        var value = PackageUrlElement.GetProperty("defaultValue").GetString()!;

        Assert.Matches(PackageUrlElement.GetProperty("constraints").GetProperty("regex").GetString()!, value);
    }

    [Theory]
    [InlineData("https://github.com/contoso/playbooks/releases/download/v1.0.0/playbooks-functions.zip", true)]
    [InlineData("https://example.blob.core.windows.net/releases/playbooks-functions.zip?sv=2024-11-04&sig=abc", true)]
    [InlineData("", true)]
    [InlineData("http://github.com/contoso/playbooks/releases/download/v1.0.0/playbooks-functions.zip", false)]
    [InlineData("https://github.com/contoso/playbooks/releases/tag/v1.0.0", false)]
    [InlineData("https://github.com/contoso/playbooks/releases/download/v1 0/playbooks-functions.zip", false)]
    public void PackageUrl_Regex_AcceptsOnlyHttpsZipUrls(string url, bool accepted)
    {
        var regex = PackageUrlElement.GetProperty("constraints").GetProperty("regex").GetString()!;

        Assert.Equal(accepted, Regex.IsMatch(url, regex));
    }

    private static JsonElement PackageUrlElement =>
        Parameters.GetProperty("basics").EnumerateArray().Single(e => e.GetProperty("name").GetString() == "packageUrl");

    private static JsonElement Load()
    {
        using var stream = File.OpenRead(RepoFiles.PathOf("infra", "createUiDefinition.json"));
        return JsonDocument.Parse(stream).RootElement.Clone();
    }
}
