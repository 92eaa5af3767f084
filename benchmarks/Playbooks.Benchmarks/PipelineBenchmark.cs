using System.Collections.Concurrent;
using System.Diagnostics;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Playbooks.Calling.Activity;
using Playbooks.Calling.CallEvents;
using Playbooks.Calling.Orgs;
using Playbooks.Calling.People;
using Playbooks.Calling.Storage;
using Playbooks.Calling.Teams;

namespace Playbooks.Benchmarks;

/// <summary>
/// The real writer over a Storage queue and the Activities table on Azurite. Two phases: a backlog of N calls
/// drained from a full queue (throughput), then calls published at a steady rate while the writer loop runs the way
/// the dev server runs it (latency from enqueue to the event being in its activity).
/// </summary>
internal sealed class PipelineBenchmark(string connectionString, TextWriter output)
{
    private const int EventsPerCall = 5;
    private readonly ConcurrentDictionary<string, long> enqueuedAt = new();
    private readonly ConcurrentBag<double> latenciesMs = [];

    public async Task RunAsync(int calls, int eventsPerSecond)
    {
        var tables = new TableServiceClient(connectionString);
        await tables.CreateTableIfNotExistsAsync(TableNames.Activities);
        var queueService = new QueueServiceClient(connectionString, StorageQueueCallEvents.ClientOptions);
        var queues = new StorageQueueCallEvents(queueService.GetQueueClient("call-events"), queueService.GetQueueClient("call-events-poison"), TimeSpan.FromSeconds(60));
        await queues.CreateIfNotExistsAsync(CancellationToken.None);
        var options = new CallEventsOptions();
        var store = new ActivityStore(tables, TimeProvider.System);
        var service = new TimedActivityService(this, store);
        var writer = new ActivityWriter(queues, service, Options.Create(options), TimeProvider.System, NullLogger<ActivityWriter>.Instance);
        output.WriteLine($"writer: batch {options.BatchSize}, parallelism {options.MaxParallelism}; {Environment.ProcessorCount} cores; Azurite in memory");

        // Phase 1: backlog.
        var backlog = Calls("backlog", calls);
        var enqueue = Stopwatch.StartNew();
        await Parallel.ForEachAsync(backlog.SelectMany(c => c).OrderBy(_ => Random.Shared.Next()), new ParallelOptions { MaxDegreeOfParallelism = 16 },
            async (e, ct) => await PublishAsync(queues, e, ct));
        enqueue.Stop();
        var drain = Stopwatch.StartNew();
        var settled = 0;
        while (true)
        {
            var result = await writer.DrainAsync(options.DrainBudget, CancellationToken.None);
            settled += result.Completed;
            if (result.Received == 0) break;
        }

        drain.Stop();
        var events = backlog.Sum(c => c.Length);
        output.WriteLine($"backlog: {calls} calls x {EventsPerCall} = {events} events; enqueued at {events / enqueue.Elapsed.TotalSeconds:F0} events/s");
        output.WriteLine($"backlog: drained {settled} events into activities in {drain.Elapsed.TotalSeconds:F2} s = {settled / drain.Elapsed.TotalSeconds:F0} events/s");
        Report("backlog: enqueue->activity (includes queue wait)");
        await VerifyAsync(store, "backlog", calls);

        // Phase 2: steady rate with the writer loop running.
        latenciesMs.Clear();
        var steadyCalls = Math.Max(1, calls / 2);
        var steady = Calls("steady", steadyCalls);
        using var stop = new CancellationTokenSource();
        var loop = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var result = await writer.DrainAsync(options.DrainBudget, CancellationToken.None);
                if (result.Received == 0) await Task.Delay(options.IdlePollInterval).ConfigureAwait(false);
            }
        });
        var interval = TimeSpan.FromSeconds(1.0 / eventsPerSecond);
        var produce = Stopwatch.StartNew();
        var sent = 0;
        foreach (var e in steady.SelectMany(c => c))
        {
            var due = interval * sent++;
            if (due > produce.Elapsed) await Task.Delay(due - produce.Elapsed);
            await PublishAsync(queues, e, CancellationToken.None);
        }

        var steadyEvents = steady.Sum(c => c.Length);
        var deadline = Stopwatch.StartNew();
        while (latenciesMs.Count < steadyEvents && deadline.Elapsed < TimeSpan.FromSeconds(60)) await Task.Delay(50);
        await stop.CancelAsync();
        await loop;
        output.WriteLine($"steady: {steadyEvents} events published at {steadyEvents / produce.Elapsed.TotalSeconds:F0} events/s (target {eventsPerSecond}); writer idle poll {options.IdlePollMilliseconds} ms");
        Report("steady: enqueue->activity");
        await VerifyAsync(store, "steady", steadyCalls);
    }

    private async Task PublishAsync(StorageQueueCallEvents queues, CallEventMessage e, CancellationToken ct)
    {
        enqueuedAt[CallEventMessageId.For(e)] = Stopwatch.GetTimestamp();
        await queues.PublishAsync(e, ct);
    }

    private void Record(CallEventMessage e)
    {
        if (enqueuedAt.TryGetValue(CallEventMessageId.For(e), out var at)) latenciesMs.Add(Stopwatch.GetElapsedTime(at).TotalMilliseconds);
    }

    private void Report(string label)
    {
        var sorted = latenciesMs.Order().ToArray();
        if (sorted.Length == 0)
        {
            output.WriteLine($"{label}: no samples");
            return;
        }

        double At(double q) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];
        output.WriteLine($"{label}: p50 {At(0.50):F0} ms, p95 {At(0.95):F0} ms, max {sorted[^1]:F0} ms ({sorted.Length} events)");
    }

    private async Task VerifyAsync(ActivityStore store, string phase, int calls)
    {
        var wrong = 0;
        for (var n = 0; n < calls; n++)
        {
            var activity = await store.GetAsync(new ActivityKey("bench", Sid(phase, n, 'A')));
            if (activity is not { Status: CallStatus.Completed, RecordingStatus: RecordingStatus.Completed, AnsweredAt: not null }) wrong++;
        }

        output.WriteLine($"{phase}: {calls - wrong}/{calls} activities complete and correct");
    }

    private static CallEventMessage[][] Calls(string phase, int count) =>
        Enumerable.Range(0, count).Select(n => Call(Sid(phase, n, 'A'), Sid(phase, n, 'B'))).ToArray();

    private static string Sid(string phase, int n, char leg) => $"C{leg}{phase}{n:D26}";

    private static CallEventMessage[] Call(string agent, string prospect)
    {
        var start = DateTimeOffset.UtcNow;
        CallEventMessage Status(CallStatus status, int sequence, int second) => new()
        {
            Kind = CallEventKind.CallStatus, OrgId = "bench", CallSid = prospect, ParentCallSid = agent, Leg = CallLeg.Prospect,
            CallStatus = status, SequenceNumber = sequence, Timestamp = start.AddSeconds(second), ReceivedAt = start.AddSeconds(second),
            CallDuration = status.IsTerminal() ? 60 : null, To = "+14155550199", From = "+14155550100", UserId = "rep-bench",
            Method = CallingMethod.Computer,
        };

        return
        [
            Status(CallStatus.Initiated, 0, 0),
            Status(CallStatus.Ringing, 1, 2),
            Status(CallStatus.InProgress, 2, 8),
            Status(CallStatus.Completed, 3, 68),
            new()
            {
                Kind = CallEventKind.RecordingStatus, OrgId = "bench", CallSid = agent, ReceivedAt = start.AddSeconds(70),
                RecordingSid = "RE" + agent[2..], RecordingStatus = RecordingStatus.Completed, RecordingDuration = 60,
                RecordingUrl = $"https://api.twilio.com/recordings/RE{agent[2..]}",
            },
        ];
    }

    /// <summary>The real service, timing each event from its enqueue to its merge being saved.</summary>
    private sealed class TimedActivityService(PipelineBenchmark owner, ActivityStore store)
        : ActivityService(store, new NoActivityObserver())
    {
        public override async Task<CallActivity?> ApplyAsync(CallEventMessage message, CancellationToken cancellationToken = default)
        {
            var activity = await base.ApplyAsync(message, cancellationToken);
            owner.Record(message);
            return activity;
        }
    }
}
