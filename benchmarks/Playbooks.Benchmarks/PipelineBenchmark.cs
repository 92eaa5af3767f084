using System.Collections.Concurrent;
using System.Diagnostics;
using Azure.Core;
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

/// <summary>What the pipeline mode runs (see <see cref="PipelineSettings.Parse"/>).</summary>
internal sealed record PipelineSettings(
    int Calls, int Rate, bool Shuffled, int ConcurrentCalls, int? BatchSize, int? Parallelism, int? IdlePollMs, int Connections, int Seconds,
    int? PackSize = null, int? SendsInFlight = null)
{
    public static PipelineSettings Parse(string[] args)
    {
        int? Number(string name)
        {
            var at = Array.IndexOf(args, name);
            return at >= 0 && at + 1 < args.Length && int.TryParse(args[at + 1], out var value) ? value : null;
        }

        var order = Array.IndexOf(args, "--order") is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : "arrival";
        if (order is not ("arrival" or "shuffled")) throw new ArgumentException("--order is arrival or shuffled.");
        return new PipelineSettings(Number("--calls") ?? 400, Number("--rate") ?? 200, order == "shuffled", Number("--concurrent-calls") ?? 50,
            Number("--batch"), Number("--parallelism"), Number("--idle-poll"), Number("--connections") ?? 32, Number("--seconds") ?? 5,
            Number("--pack-size"), Number("--sends-in-flight"));
    }
}

/// <summary>
/// The real writer over a Storage queue and the Activities table on Azurite. First Azurite's raw single-entity upsert
/// rate (the load benchmark's method, same concurrency), then two phases: a backlog of N calls drained from a full queue
/// (throughput, read against the raw rate), then calls published at a steady rate while the writer loop runs the way
/// the dev server runs it (latency from enqueue to the event being in its activity, against the idle poll interval).
/// The backlog is enqueued in arrival order (calls overlapping as if <see cref="PipelineSettings.ConcurrentCalls"/>
/// reps dialed at once, each call's events in time order) or shuffled over the whole backlog (the worst case for coalescing).
/// </summary>
internal sealed class PipelineBenchmark(string connectionString, TextWriter output)
{
    private const int EventsPerCall = 5;
    private static readonly TimeSpan CallLength = TimeSpan.FromSeconds(70);
    private readonly ConcurrentDictionary<string, long> enqueuedAt = new();
    private readonly ConcurrentBag<double> latenciesMs = [];
    private readonly StorageCallTally tally = new();
    private int writes;

    public async Task<int> RunAsync(PipelineSettings settings)
    {
        var tableOptions = new TableClientOptions();
        tableOptions.AddPolicy(tally, HttpPipelinePosition.PerRetry);
        var tables = new TableServiceClient(connectionString, tableOptions);
        await tables.CreateTableIfNotExistsAsync(TableNames.Activities);
        var queueOptions = StorageQueueCallEvents.ClientOptions;
        queueOptions.AddPolicy(tally, HttpPipelinePosition.PerRetry);
        var queueService = new QueueServiceClient(connectionString, queueOptions);
        var options = new CallEventsOptions();
        if (settings.PackSize is { } packSize) options.StorageQueuePackSize = packSize;
        if (settings.SendsInFlight is { } sends) options.StorageQueueSendsInFlight = sends;
        var queues = new StorageQueueCallEvents(queueService.GetQueueClient("call-events"), queueService.GetQueueClient("call-events-poison"), TimeSpan.FromSeconds(60),
            options.StorageQueuePackSize, options.StorageQueueSendsInFlight);
        await queues.CreateIfNotExistsAsync(CancellationToken.None);
        if (settings.BatchSize is { } batch) options.BatchSize = batch;
        if (settings.Parallelism is { } parallelism) options.MaxParallelism = parallelism;
        if (settings.IdlePollMs is { } idle) options.IdlePollMilliseconds = idle;
        var problems = new List<System.ComponentModel.DataAnnotations.ValidationResult>();
        if (!System.ComponentModel.DataAnnotations.Validator.TryValidateObject(options, new(options), problems, validateAllProperties: true))
        {
            output.WriteLine(string.Join(Environment.NewLine, problems.Select(p => p.ErrorMessage)));
            return 2;
        }

        var store = new ActivityStore(tables, TimeProvider.System);
        var service = new TimedActivityService(this, store);
        var writer = new ActivityWriter(queues, service, Options.Create(options), TimeProvider.System, NullLogger<ActivityWriter>.Instance);
        output.WriteLine($"writer: batch {options.BatchSize}, parallelism {options.MaxParallelism}, idle poll {options.IdlePollMilliseconds} ms; queue: up to {options.StorageQueuePackSize} events per message, {options.StorageQueueSendsInFlight} sends in flight; {Environment.ProcessorCount} cores; Azurite in memory");

        var upsert = await StorageRates.UpsertAsync(connectionString, settings.Connections, settings.Seconds);
        output.WriteLine($"raw: Azurite single-entity upsert (UpsertEntity, {settings.Connections} concurrent, {settings.Seconds} s): {upsert.PerSecond:F0}/s, p50 {upsert.P50:F1} ms, p99 {upsert.P99:F1} ms");
        var rawEnqueue = await StorageRates.EnqueueAsync(connectionString, settings.Connections, settings.Seconds, CallEventSerializer.Serialize(Calls("raw", 1)[0][0]));
        output.WriteLine($"raw: Azurite enqueue (QueueClient.SendMessageAsync, one event per message, {settings.Connections} concurrent, {settings.Seconds} s): {rawEnqueue.PerSecond:F0}/s, p50 {rawEnqueue.P50:F1} ms, p99 {rawEnqueue.P99:F1} ms");

        // Phase 1: backlog.
        var backlog = Calls("backlog", settings.Calls);
        var ordered = settings.Shuffled
            ? backlog.SelectMany(c => c).OrderBy(_ => Random.Shared.Next()).ToArray()
            : ArrivalOrder(backlog, settings.ConcurrentCalls);
        var enqueue = Stopwatch.StartNew();
        await Parallel.ForEachAsync(ordered.Chunk(16), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (chunk, ct) =>
        {
            // Chunks in order, each chunk's events in parallel: close to arrival order, at a useful speed.
            await Task.WhenAll(chunk.Select(e => PublishAsync(queues, e, ct)));
        });
        enqueue.Stop();
        var messages = (await queues.Queue.GetPropertiesAsync()).Value.ApproximateMessagesCount;
        tally.Reset();
        writes = 0;
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
        var drainRate = settled / drain.Elapsed.TotalSeconds;
        output.WriteLine($"backlog: {settings.Calls} calls x {EventsPerCall} = {events} events, {(settings.Shuffled ? "shuffled" : $"in arrival order of {settings.ConcurrentCalls} concurrent calls")}; enqueued at {events / enqueue.Elapsed.TotalSeconds:F0} events/s = {events / enqueue.Elapsed.TotalSeconds / rawEnqueue.PerSecond:P0} of the raw enqueue rate, in {messages} queue messages");
        output.WriteLine($"backlog: drained {settled} events into activities in {drain.Elapsed.TotalSeconds:F2} s = {drainRate:F0} events/s = {drainRate / upsert.PerSecond:P0} of the raw upsert rate");
        output.WriteLine($"backlog: {writes} activity merges ({(double)settled / Math.Max(1, writes):F2} events each); storage calls per event {(double)tally.Total / Math.Max(1, settled):F2} ({string.Join(", ", tally.Snapshot().OrderBy(k => k.Key).Select(k => $"{k.Key} {k.Value}"))})");
        var queueCalls = tally.Snapshot().Where(k => k.Key.Contains("queue", StringComparison.Ordinal)).Sum(k => k.Value);
        output.WriteLine($"backlog: per event {(double)queueCalls / Math.Max(1, settled):F3} queue calls and {(double)(tally.Total - queueCalls) / Math.Max(1, settled):F3} table calls");
        Report("backlog: enqueue->activity (includes queue wait)");
        await VerifyAsync(store, "backlog", settings.Calls);
        await ActivityWritesAsync(tables, options, settings, upsert.PerSecond);

        // Phase 2: steady rate with the writer loop running.
        latenciesMs.Clear();
        var steadyCalls = Math.Max(1, settings.Calls / 2);
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
        var interval = TimeSpan.FromSeconds(1.0 / settings.Rate);
        var produce = Stopwatch.StartNew();
        var sent = 0;
        foreach (var e in ArrivalOrder(steady, settings.ConcurrentCalls))
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
        output.WriteLine($"steady: {steadyEvents} events published at {steadyEvents / produce.Elapsed.TotalSeconds:F0} events/s (target {settings.Rate}); writer idle poll {options.IdlePollMilliseconds} ms, so the p95 target is {options.IdlePollMilliseconds + 250} ms");
        Report("steady: enqueue->activity");
        await VerifyAsync(store, "steady", steadyCalls);
        return 0;
    }

    /// <summary>
    /// The table side alone: the same kind of backlog merged batch by batch the way the writer does (grouped by activity,
    /// <see cref="CallEventsOptions.MaxParallelism"/> groups at a time) by a store of its own, with no queue calls.
    /// </summary>
    private async Task ActivityWritesAsync(TableServiceClient tables, CallEventsOptions options, PipelineSettings settings, double rawUpsert)
    {
        var service = new ActivityService(new ActivityStore(tables, TimeProvider.System), new NoActivityObserver());
        var calls = Calls("tables", settings.Calls);
        var ordered = settings.Shuffled ? calls.SelectMany(c => c).OrderBy(_ => Random.Shared.Next()).ToArray() : ArrivalOrder(calls, settings.ConcurrentCalls);
        tally.Reset();
        var clock = Stopwatch.StartNew();
        foreach (var batch in ordered.Chunk(options.BatchSize))
        {
            await Parallel.ForEachAsync(batch.GroupBy(CallEventGroup.Of), new ParallelOptions { MaxDegreeOfParallelism = options.MaxParallelism },
                async (group, ct) => await service.ApplyAsync(group.ToList(), ct));
        }

        clock.Stop();
        var rate = ordered.Length / clock.Elapsed.TotalSeconds;
        output.WriteLine($"activity writes alone (no queue): {ordered.Length} events in batches of {options.BatchSize} in {clock.Elapsed.TotalSeconds:F2} s = {rate:F0} events/s = {rate / rawUpsert:P0} of the raw upsert rate; storage calls per event {(double)tally.Total / ordered.Length:F3} ({string.Join(", ", tally.Snapshot().OrderBy(k => k.Key).Select(k => $"{k.Key} {k.Value}"))})");
    }

    /// <summary>The events of all calls by time: call n starts <see cref="CallLength"/>/concurrent after call n-1.</summary>
    private static CallEventMessage[] ArrivalOrder(CallEventMessage[][] calls, int concurrent)
    {
        var spacing = CallLength / Math.Max(1, concurrent);
        return calls
            .SelectMany((call, n) => call.Select((e, i) => (At: spacing * n + EventOffsets[i], Event: e)))
            .OrderBy(x => x.At)
            .Select(x => x.Event)
            .ToArray();
    }

    // When each of a call's five events arrives after the call starts (initiated, ringing, answered, completed, recording).
    private static readonly TimeSpan[] EventOffsets = [TimeSpan.Zero, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(8), TimeSpan.FromSeconds(68), TimeSpan.FromSeconds(70)];

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

    /// <summary>The real service, timing each event from its enqueue to its merge being saved, and counting merges.</summary>
    private sealed class TimedActivityService(PipelineBenchmark owner, ActivityStore store)
        : ActivityService(store, new NoActivityObserver())
    {
        public override async Task<CallActivity?> ApplyAsync(IReadOnlyList<CallEventMessage> messages, CancellationToken cancellationToken = default)
        {
            var activity = await base.ApplyAsync(messages, cancellationToken);
            Interlocked.Increment(ref owner.writes);
            foreach (var message in messages) owner.Record(message);
            return activity;
        }
    }
}
