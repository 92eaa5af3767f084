using System.Diagnostics;
using System.Net;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Playbooks.Calling.Identity;
using Playbooks.DevServer.Azurite;
using Playbooks.DevServer.Tests.Faults;
using Playbooks.DevServer.Tests.Http;
using Xunit.Abstractions;

namespace Playbooks.DevServer.Tests.Azurite;

/// <summary>
/// The dev server's own Azurite killed with SIGKILL while the dev server runs. The dev server must answer 503
/// problem+json (never 500) while storage is gone, report unhealthy, start Azurite again over the same data folder, and
/// end with every status callback it accepted, before and after, in its call's activity.
/// <para>
/// What "the same data" means: the dev server runs Azurite with <c>--location</c> (never in memory: that would lose
/// everything on a restart). Azurite keeps its tables and queues in memory and saves them to that folder every 5 s
/// (LokiJS autosave), and SIGKILL gives it no chance to save on the way out, so writes of the last few seconds before
/// the kill are lost by Azurite itself; Azure Storage does not lose acknowledged writes. So the events accepted before
/// the kill are waited into their activities and then into Azurite's saved file before the kill; a message deleted
/// after the last save comes back after the restart and is merged again, which must change nothing.
/// </para>
/// </summary>
public sealed class AzuriteKillTests(ITestOutputHelper output)
{
    private const string PublicBaseUrl = "http://localhost:7071";

    [Fact]
    public async Task AzuriteKilled_Outage503ProblemJsonNot500_HealthRecovers_EveryAcceptedEventLands()
    {
        // Arrange: the restart waits 20 s, so requests made during the outage fail and are answered before Azurite is
        // back. Health may go on answering its kept check for up to 5 s after the kill and take up to 5 s more to time
        // out the next one; a request sent when it first answers 503 retries for about 6 s more (the Azure SDK's
        // default). With a 10 s wait, that request sometimes outlived the outage and was answered 200.
        await using var server = new OwnAzuriteFactory(new Dictionary<string, string?>
        {
            ["DevServer:AzuriteRestartDelay"] = "00:00:20",
            ["Twilio:PublicBaseUrl"] = PublicBaseUrl,
            ["CallEvents:LockSeconds"] = "5",
            ["CallEvents:RetryBaseSeconds"] = "1",
            ["CallEvents:RetryMaxSeconds"] = "2",
        });
        var orgId = $"azkill-{Guid.NewGuid():N}"[..23];
        var calls = ProspectCall.Many(orgId, 40);
        var before = calls.Take(20).ToList();
        var after = calls.Skip(20).ToList();
        using var admin = await server.SignedInClientAsync("admin-1", orgId, AppRoles.Admin);
        using var client = server.CreateClient();
        var accepted = new HashSet<string>(StringComparer.Ordinal);

        // Before: the first calls dial, ring and answer; their activities are written and saved by Azurite.
        foreach (var e in before.SelectMany(c => new[] { c.Initiated, c.Ringing, c.Answered }))
        {
            using var response = await e.PostAsync(client, PublicBaseUrl);
            Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
            accepted.Add(e.Key);
        }

        await ProspectCall.WaitForActivitiesAsync(admin, before, accepted, TimeSpan.FromSeconds(30));
        await WaitUntilAzuriteSavedAsync(server);

        // Act: SIGKILL, then requests while storage is gone.
        var azurite = server.Services.GetRequiredService<AzuriteProcess>();
        var killed = azurite.ProcessId!.Value;
        using (var process = Process.GetProcessById(killed))
        {
            process.Kill();
        }

        var sawUnhealthy = false;
        var webhookAnswers = new List<(HttpStatusCode Status, string? Type, string Body)>();
        var listAnswers = new List<(HttpStatusCode Status, string? Type, string Body)>();
        var webhookSeconds = new List<double>();
        var outage = after.Select(c => c.Initiated).ToList();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            using var health = await client.GetAsync("/api/health");
            if (health.StatusCode == HttpStatusCode.OK && sawUnhealthy)
            {
                break;
            }

            Assert.True(health.StatusCode is HttpStatusCode.OK or HttpStatusCode.ServiceUnavailable, $"health answered {(int)health.StatusCode}");
            if (health.StatusCode != HttpStatusCode.ServiceUnavailable)
            {
                await Task.Delay(50);
                continue;
            }

            sawUnhealthy = true;
            var next = outage[webhookAnswers.Count % outage.Count];
            var sent = Stopwatch.StartNew();
            var webhook = DescribeAsync(next.PostAsync(client, PublicBaseUrl));
            var list = DescribeAsync(admin.GetAsync("/api/admin/calls"));
            webhookAnswers.Add(await webhook);
            webhookSeconds.Add(sent.Elapsed.TotalSeconds);
            listAnswers.Add(await list);
            if (webhookAnswers[^1].Status == HttpStatusCode.NoContent)
            {
                accepted.Add(next.Key); // answered once Azurite was back: accepted, so it must land like any other
            }
        }

        output.WriteLine("while health answered 503 (Azurite down, then restarted but not yet seen healthy): webhook "
            + string.Join(", ", webhookAnswers.Zip(webhookSeconds, (a, s) => $"{(int)a.Status} in {s:F1} s"))
            + "; admin list " + string.Join(", ", listAnswers.Select(a => (int)a.Status)));
        Assert.True(sawUnhealthy, "health never answered 503 while Azurite was down");
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/health")).StatusCode);
        Assert.Equal(1, azurite.Restarts);
        Assert.NotEqual(killed, azurite.ProcessId);

        // After: the first calls end; the others dial, ring, answer and end; refused callbacks are sent again.
        await using (var stream = new CallbackStream(server.CreateClient, PublicBaseUrl,
            [.. before.Select(c => c.Completed), .. after.SelectMany(c => c.Events)], senders: 4, pause: TimeSpan.FromMilliseconds(10)))
        {
            await stream.WaitUntilAllAcceptedAsync(TimeSpan.FromSeconds(60));
            Assert.Empty(stream.Unexpected);
            accepted.UnionWith(stream.Accepted);
        }

        // Assert
        Assert.DoesNotContain(webhookAnswers.Concat(listAnswers), a => a.Status == HttpStatusCode.InternalServerError);
        Assert.All(webhookAnswers.Concat(listAnswers), a => Assert.True(
            a.Status is HttpStatusCode.NoContent or HttpStatusCode.OK
            || (a.Status == HttpStatusCode.ServiceUnavailable && a.Type == "application/problem+json"),
            $"answered {(int)a.Status} {a.Type}: {a.Body}"));
        Assert.Contains(webhookAnswers, a => a.Status == HttpStatusCode.ServiceUnavailable && a.Body.Contains("\"call-events-unavailable\"", StringComparison.Ordinal));
        Assert.Contains(listAnswers, a => a.Status == HttpStatusCode.ServiceUnavailable && a.Body.Contains("\"storage-unavailable\"", StringComparison.Ordinal));
        Assert.Equal(calls.Count * 4, accepted.Count);
        await ProspectCall.WaitForActivitiesAsync(admin, calls, accepted, TimeSpan.FromSeconds(60));
    }

    private static async Task<(HttpStatusCode Status, string? Type, string Body)> DescribeAsync(Task<HttpResponseMessage> request)
    {
        using (var response = await request)
        {
            return (response.StatusCode, response.Content.Headers.ContentType?.MediaType, await response.Content.ReadAsStringAsync());
        }
    }

    /// <summary>
    /// Writes a marker row and waits until it is in Azurite's saved table file: the whole table store is saved at
    /// once, so everything written before the marker (the activities) is on disk and survives a SIGKILL.
    /// </summary>
    private static async Task WaitUntilAzuriteSavedAsync(OwnAzuriteFactory server)
    {
        var marker = Guid.NewGuid().ToString("N");
        var table = new TableClient(server.ConnectionString, "FaultTestMarkers");
        await table.CreateIfNotExistsAsync();
        await table.AddEntityAsync(new TableEntity("marker", marker));
        var file = Path.Combine(server.DataLocation, "__azurite_db_table__.json");
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!(File.Exists(file) && (await File.ReadAllTextAsync(file)).Contains(marker, StringComparison.Ordinal)))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Azurite did not save its tables to {file} within 30 s.");
            }

            await Task.Delay(200);
        }
    }
}
