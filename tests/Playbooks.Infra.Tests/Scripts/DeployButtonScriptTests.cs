using System.Diagnostics;
using System.Text.Json;

namespace Playbooks.Infra.Tests.Scripts;

/// <summary>scripts/deploy-button.sh: the portal link of a release, for whichever repository publishes it.</summary>
public class DeployButtonScriptTests
{
    private const string ExpectedLink =
        "https://portal.azure.com/#create/Microsoft.Template/uri/" +
        "https%3A%2F%2Fraw.githubusercontent.com%2Fcontoso%2Fplaybooks-calling%2Fv1.2.0%2Finfra%2Fazuredeploy.json" +
        "/createUIDefinitionUri/" +
        "https%3A%2F%2Fraw.githubusercontent.com%2Fcontoso%2Fplaybooks-calling%2Fv1.2.0%2Finfra%2FcreateUiDefinition.json";

    [Theory]
    [InlineData("contoso/playbooks-calling")]
    [InlineData("https://github.com/contoso/playbooks-calling.git")]
    [InlineData("https://github.com/contoso/playbooks-calling")]
    [InlineData("git@github.com:contoso/playbooks-calling.git")]
    public async Task Run_RepositoryInAnyForm_PrintsTheEncodedPortalLinkAtTheTag(string repository)
    {
        var result = await RunAsync(RepoFiles.Root, "v1.2.0", repository);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(ExpectedLink, Line(result, "link"));
        Assert.Equal($"[![Deploy to Azure](https://aka.ms/deploytoazurebutton)]({ExpectedLink})", Line(result, "markdown"));
        Assert.Equal("https://github.com/contoso/playbooks-calling/releases/download/v1.2.0/playbooks-functions.zip", Line(result, "package"));
    }

    [Fact]
    public async Task Run_NoRepositoryArgument_UsesTheOriginRemote()
    {
        using var clone = TemporaryClone.Create();
        Git(clone.Path, "init", "-q");
        Git(clone.Path, "remote", "add", "origin", "https://github.com/fabrikam/calling.git");

        var result = await RunAsync(clone.Path, "v2.0.0");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("https://raw.githubusercontent.com/fabrikam/calling/v2.0.0/infra/azuredeploy.json", Line(result, "template"));
    }

    [Theory]
    [InlineData("https://gitlab.com/contoso/playbooks-calling.git")]
    [InlineData("not a repository")]
    public async Task Run_NotAGitHubRepository_FailsWithoutALink(string repository)
    {
        var result = await RunAsync(RepoFiles.Root, "v1.2.0", repository);

        Assert.Equal(2, result.ExitCode);
        Assert.DoesNotContain("portal.azure.com", result.StdOut);
        Assert.Contains(repository, result.StdErr);
    }

    [Fact]
    public async Task Run_Stamp_WritesThePackageUrlAsTheFormDefaultOnly()
    {
        using var clone = TemporaryClone.Create();
        var before = JsonDocument.Parse(File.ReadAllText(Path.Combine(clone.Path, "infra", "createUiDefinition.json"))).RootElement;

        var result = await RunAsync(clone.Path, "--stamp", "v1.2.0", "contoso/playbooks-calling");

        Assert.Equal(0, result.ExitCode);
        var after = JsonDocument.Parse(File.ReadAllText(Path.Combine(clone.Path, "infra", "createUiDefinition.json"))).RootElement;
        var basics = after.GetProperty("parameters").GetProperty("basics").EnumerateArray().ToList();
        Assert.Equal(
            "https://github.com/contoso/playbooks-calling/releases/download/v1.2.0/playbooks-functions.zip",
            basics.Single(e => e.GetProperty("name").GetString() == "packageUrl").GetProperty("defaultValue").GetString());
        Assert.Equal("prod", basics.Single(e => e.GetProperty("name").GetString() == "environmentName").GetProperty("defaultValue").GetString());
        Assert.Equal(
            before.GetProperty("parameters").GetProperty("steps").GetRawText(),
            after.GetProperty("parameters").GetProperty("steps").GetRawText());
    }

    private static string Line(ScriptResult result, string name) =>
        result.StdOut.Split('\n').Single(l => l.StartsWith(name + ": ", StringComparison.Ordinal))[(name.Length + 2)..];

    private static void Git(string directory, params string[] arguments)
    {
        var start = new ProcessStartInfo("git") { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        process.WaitForExit();
        Assert.Equal(0, process.ExitCode);
    }

    private static async Task<ScriptResult> RunAsync(string root, params string[] arguments)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = root };
        start.ArgumentList.Add(Path.Combine(root, "scripts", "deploy-button.sh"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        return new ScriptResult(process.ExitCode, await stdout, await stderr);
    }

    private sealed record ScriptResult(int ExitCode, string StdOut, string StdErr);

    /// <summary>The script and the form in a throw-away folder laid out like the repository, so --stamp never edits the real one.</summary>
    private sealed class TemporaryClone : IDisposable
    {
        private TemporaryClone(string path) => Path = path;

        public string Path { get; }

        public static TemporaryClone Create()
        {
            var path = Directory.CreateTempSubdirectory("deploy-button-").FullName;
            Directory.CreateDirectory(System.IO.Path.Combine(path, "scripts"));
            Directory.CreateDirectory(System.IO.Path.Combine(path, "infra"));
            File.Copy(RepoFiles.PathOf("scripts", "deploy-button.sh"), System.IO.Path.Combine(path, "scripts", "deploy-button.sh"));
            File.Copy(RepoFiles.PathOf("infra", "createUiDefinition.json"), System.IO.Path.Combine(path, "infra", "createUiDefinition.json"));
            return new TemporaryClone(path);
        }

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
