using Azure.Storage.Queues;
using Playbooks.Calling.Identity;
using Playbooks.DevServer.Tests.EndToEnd;
using Playbooks.DevServer.Tests.Http;
using Playbooks.DevServer.Tests.TwilioSimulator;
using Xunit.Abstractions;

namespace Playbooks.DevServer.Tests.Faults;

/// <summary>
/// The dev server process killed with SIGKILL while its activity writer drains a stream of status callbacks, then
/// started again on the same storage (the Azurite of PLAYBOOKS_TEST_STORAGE, which lives on): every callback it
/// accepted must end in its call's activity, once, with the right fields. What the kill interrupts is whatever was in
/// flight: messages the writer had received but not yet settled come back when their lease (CallEvents:LockSeconds)
/// ends; a write done but not settled is merged again, which must change nothing; a callback whose answer was lost
/// with the connection is sent again, as Twilio would. The org writes to no CRM: the other dev servers of the test run
/// share this storage and sync every org's CRM with their own settings, which do not hold this org's secret (one Task
/// per call under two racing CRM writers is the CRM lease tests' part).
/// </summary>
public sealed class DevServerKillTests(ITestOutputHelper output)
{
    private const int Calls = 150;

    [Fact]
    public async Task DevServerKilledMidDrain_RestartedOnSameStorage_EveryAcceptedEventInItsActivityOnce()
    {
        // Arrange: an org and a call-event queue of this test's own, so no other dev server of the test run drains it.
        var orgId = $"kill-{Guid.NewGuid():N}"[..21];
        var queueName = $"kill-{Guid.NewGuid():N}";
        var port = FakeWebhooks.FreePort();
        var settings = new Dictionary<string, string>
        {
            ["Storage:ConnectionString"] = DevServerFactory.StorageConnectionString,
            ["CallEvents:StorageQueueName"] = queueName,
            // A received message stays invisible this long; the killed writer's leases end 5 s after the kill.
            ["CallEvents:LockSeconds"] = "5",
        };
        var queue = new QueueClient(DevServerFactory.StorageConnectionString, queueName);
        var calls = ProspectCall.Many(orgId, Calls);
        var shuffled = calls.SelectMany(c => c.Events).OrderBy(_ => Random.Shared.Next()).ToList();

        await using var first = DevServerProcess.Start(port, settings);
        await first.WaitUntilHealthyAsync(TimeSpan.FromSeconds(60));
        using var firstAdmin = await first.SignInAsync("admin-1", orgId, AppRoles.Admin);

        // Act: a steady stream (4 senders, each pausing 25 ms), and SIGKILL once the writer has written activities
        // while callbacks are still queued behind it.
        await using var stream = new CallbackStream(first.Client, first.BaseUrl, shuffled, senders: 4, pause: TimeSpan.FromMilliseconds(25));
        var (queued, written) = await WaitForMidDrainAsync(stream, queue, firstAdmin);
        var acceptedBeforeKill = stream.AcceptedCount;
        await first.KillAsync();
        output.WriteLine($"SIGKILL with {acceptedBeforeKill} of {stream.Total} callbacks accepted, about {queued} queued, {written} activities written");

        await using var second = DevServerProcess.Start(port, settings);
        await second.WaitUntilHealthyAsync(TimeSpan.FromSeconds(60));
        await stream.WaitUntilAllAcceptedAsync(TimeSpan.FromSeconds(60));

        // Assert: exactly one activity per call, each showing all four of its callbacks at their own times.
        using var admin = await second.SignInAsync("admin-1", orgId, AppRoles.Admin);
        var activities = await ProspectCall.WaitForActivitiesAsync(admin, calls, stream.Accepted, TimeSpan.FromSeconds(60));
        output.WriteLine($"{stream.Dropped} deliveries dropped with the connection and sent again, {stream.Unavailable} refused with 503 and sent again");
        Assert.Empty(stream.Unexpected);
        Assert.Equal(Calls * 4, stream.Accepted.Count);
        Assert.Equal(Calls, activities.Count);
        Assert.True(acceptedBeforeKill < stream.Total, "the kill came while callbacks were still arriving");
        Assert.True(await QueueEmptiesAsync(queue), "call events were left in the queue");
        await queue.DeleteIfExistsAsync();
        await new QueueClient(DevServerFactory.StorageConnectionString, queueName + "-poison").DeleteIfExistsAsync();
    }

    private static async Task<bool> QueueEmptiesAsync(QueueClient queue)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount > 0)
        {
            if (DateTime.UtcNow > deadline) return false;
            await Task.Delay(200);
        }

        return true;
    }

    /// <summary>Waits until the writer has written some activities and callbacks are queued behind them.</summary>
    private static async Task<(int Queued, int Written)> WaitForMidDrainAsync(CallbackStream stream, QueueClient queue, HttpClient admin)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            var accepted = stream.AcceptedCount;
            if (accepted == stream.Total)
            {
                throw new InvalidOperationException("Every callback was accepted before the writer was seen mid-drain: the stream is too short to kill the server under load.");
            }

            if (accepted >= stream.Total / 4)
            {
                var queued = (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount;
                var written = (await EndToEnd.Activities.AdminListAsync(admin)).Count;
                if (queued > 0 && written > 0)
                {
                    return (queued, written);
                }
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"The writer was never seen mid-drain ({stream.AcceptedCount} of {stream.Total} callbacks accepted).");
    }
}
