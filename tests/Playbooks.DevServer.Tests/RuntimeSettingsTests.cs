using System.Text.Json;

namespace Playbooks.DevServer.Tests;

/// <summary>
/// The runtime settings the apps ship with (their runtimeconfig.json, next to the tests): the CPU the load benchmark
/// measured depends on them, and nothing else would notice them gone.
/// </summary>
public sealed class RuntimeSettingsTests
{
    [Theory]
    [InlineData("Playbooks.Functions")]
    [InlineData("Playbooks.DevServer")]
    public void RuntimeConfig_App_ThreadPoolDoesNotSpinForWork(string app)
    {
        // Act
        var settings = ConfigProperties(app);

        // Assert
        Assert.True(settings.TryGetProperty("System.Threading.ThreadPool.UnfairSemaphoreSpinLimit", out var spin),
            $"{app} leaves idle thread-pool threads spinning for work");
        Assert.Equal(0, spin.GetInt32());
    }

    [Fact]
    public void RuntimeConfig_DevServer_UsesWorkstationGcAsTheFunctionsWorker()
    {
        // Act
        var settings = ConfigProperties("Playbooks.DevServer");

        // Assert
        Assert.False(settings.GetProperty("System.GC.Server").GetBoolean());
        Assert.False(ConfigProperties("Playbooks.Functions").TryGetProperty("System.GC.Server", out var server) && server.GetBoolean());
    }

    private static JsonElement ConfigProperties(string app)
    {
        var path = Path.Combine(AppContext.BaseDirectory, app + ".runtimeconfig.json");
        Assert.True(File.Exists(path), $"{path} was not copied next to the tests");
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return document.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties").Clone();
    }
}
