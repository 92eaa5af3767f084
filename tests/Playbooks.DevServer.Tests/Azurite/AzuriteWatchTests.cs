using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Playbooks.DevServer.Azurite;
using Playbooks.DevServer.Tests.Http;
using Playbooks.DevServer.Tests.TwilioSimulator;

namespace Playbooks.DevServer.Tests.Azurite;

/// <summary>The dev server with its own Azurite (as ./run.sh starts it), which a test then takes away.</summary>
public sealed class AzuriteWatchTests
{
    [Fact]
    public async Task AzuriteExits_HealthTurns503ThenBack200_AndTheDataSurvives()
    {
        await using var server = new OwnAzuriteFactory();
        var rep = await server.SignedInClientAsync("rep-both");
        (await rep.PutAsync("/api/me/calling-preference", new { preference = "phone" })).EnsureSuccessStatusCode();
        var health = server.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await health.GetAsync("/api/health")).StatusCode);
        var azurite = server.Services.GetRequiredService<AzuriteProcess>();
        var first = azurite.ProcessId!.Value;

        // SIGTERM, as a terminal's Ctrl-C or an OOM killer's first try would; Azurite saves its data on the way out.
        using (var kill = Process.Start("kill", ["-TERM", $"{first}"]))
        {
            await kill.WaitForExitAsync();
        }

        var sawUnhealthy = await PollAsync(async () => (await health.GetAsync("/api/health")).StatusCode == HttpStatusCode.ServiceUnavailable);
        var sawHealthy = await PollAsync(async () => (await health.GetAsync("/api/health")).StatusCode == HttpStatusCode.OK);

        Assert.True(sawUnhealthy, "health never answered 503 while Azurite was down");
        Assert.True(sawHealthy, "health never answered 200 again after the restart");
        Assert.Equal(1, azurite.Restarts);
        Assert.NotEqual(first, azurite.ProcessId);
        var me = await (await rep.GetAsync("/api/me")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("phone", me.Str("callingPreference"));
    }

    private static async Task<bool> PollAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (await condition())
            {
                return true;
            }

            await Task.Delay(50);
        }

        return false;
    }
}
