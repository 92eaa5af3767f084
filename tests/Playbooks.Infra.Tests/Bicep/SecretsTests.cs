using Playbooks.Infra.Tests.Arm;

namespace Playbooks.Infra.Tests.Bicep;

public class SecretsTests
{
    private static string TemplateText => File.ReadAllText(RepoFiles.PathOf("infra", "azuredeploy.json"));

    [Theory]
    [InlineData("AccountKey=")]
    [InlineData("SharedAccessKey=")]
    [InlineData("SharedAccessSignature=")]
    [InlineData("listKeys(")]
    [InlineData("listConnectionStrings(")]
    [InlineData("listSecrets(")]
    [InlineData("InstrumentationKey=")]
    public void Template_HasNoKeyBasedConnection(string marker)
    {
        Assert.DoesNotContain(marker, TemplateText, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Outputs_NoneCarriesASecureParameter()
    {
        var leaks = ArmTemplate.Compiled.SelfAndDescendants
            .SelectMany(t => t.Outputs.Select(o => (template: t, output: o)))
            .Where(x => x.template.Resolve(x.output.Value.GetProperty("value")).IsSecureParameter)
            .Select(x => $"{x.template.Name}:{x.output.Name}");

        Assert.Empty(leaks);
    }

    [Fact]
    public void Outputs_NoneIsSecureTyped()
    {
        var secureOutputs = ArmTemplate.Compiled.SelfAndDescendants
            .SelectMany(t => t.Outputs)
            .Where(o => o.Value.GetProperty("type").GetString() is "securestring" or "secureObject");

        Assert.Empty(secureOutputs);
    }

    [Fact]
    public void Outputs_NamesDoNotAnnounceSecrets()
    {
        string[] secretWords = ["SECRET", "TOKEN", "PASSWORD", "KEY", "CONNECTION_STRING"];

        var named = ArmTemplate.Compiled.Outputs
            .Select(o => o.Name)
            .Where(name => secretWords.Any(word => name.EndsWith(word, StringComparison.OrdinalIgnoreCase)));

        Assert.Empty(named);
    }

    [Theory]
    [InlineData("twilioAuthToken")]
    [InlineData("twilioApiKeySecret")]
    public void TwilioSecretParameters_AreSecure(string name)
    {
        Assert.Contains(name, ArmTemplate.Compiled.SecureParameterNames);
    }
}
