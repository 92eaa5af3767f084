using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using Playbooks.Calling.Activity;
using Playbooks.Calling.CallEvents;
using Playbooks.Calling.Calls;
using Playbooks.Calling.Identity;
using Playbooks.Calling.Orgs;
using Playbooks.Calling.Storage;

namespace Playbooks.Benchmarks;

/// <summary>What the load mode runs: the dev server of <see cref="ServerRepoRoot"/> (built in Release) over in-memory Azurite.</summary>
internal sealed record LoadSettings(string ServerRepoRoot, int Seconds, int Connections, int Threads, int Reps, bool Build, IReadOnlyDictionary<string, string> ServerEnvironment, int? AzuritePid = null);

/// <summary>
/// The HTTP load benchmark: the dev server in Release over in-memory Azurite with an org of many reps, driven by wrk
/// at a fixed number of connections, one endpoint at a time. Every figure is printed next to the same run's ceilings:
/// the host's no-I/O route for the HTTP endpoints, Azurite's raw single-entity upsert rate for the voice webhook and
/// its raw enqueue rate for the status callbacks.
/// </summary>
internal sealed partial class LoadBenchmark(LoadSettings settings, string connectionString, TextWriter output)
{
    private const string OrgId = "bench-org";
    private const string GroupId = "bench-callers";
    private const string CallerId = "+15005550042";
    private const string AccountSid = "AC00000000000000000000000000000de7";
    private const string DevAuthToken = "development-only-simulator-auth-token";
    private const int WarmUpSeconds = 2;

    /// <summary>
    /// The warm-up of the voice webhook's first run. No earlier run calls its code (the ledger's insert, the TwiML), and
    /// the runtime's tiered compilation was still recompiling it 2 s in (the tiering thread held 14 % of the server's
    /// CPU samples in the measured window), so the first figure would include start-up work the later ones do not.
    /// </summary>
    private const int FirstWarmUpSeconds = 6;
    private const string CallEventsQueue = "call-events";

    private static readonly string WrkLog = Path.Combine(Path.GetTempPath(), "playbooks-load-wrk.log");

    private static readonly string ServerLog = Path.Combine(Path.GetTempPath(), "playbooks-load-server.log");

    private readonly string workDir = Directory.CreateTempSubdirectory("playbooks-load-").FullName;
    private readonly List<Row> rows = [];
    private string baseUrl = "";
    private Process? server;

    public async Task<int> RunAsync()
    {
        EnsureWrk();
        File.Delete(WrkLog);
        var dll = settings.Build ? BenchmarkServer.Build(settings.ServerRepoRoot, output) : BenchmarkServer.Dll(settings.ServerRepoRoot);
        var port = BenchmarkServer.FreePort();
        baseUrl = $"http://127.0.0.1:{port}";
        var publicBaseUrl = $"http://localhost:{port}";
        await BenchmarkServer.SeedOrgAsync(connectionString, OrgId, "Load benchmark", CallerId, GroupId, Reps());
        server = BenchmarkServer.Start(settings.ServerRepoRoot, dll, connectionString, baseUrl, publicBaseUrl,
            new Dictionary<string, string> { ["DevServer__CountStorageCalls"] = "true" }.Concat(settings.ServerEnvironment), ServerLog);
        foreach (var (name, value) in settings.ServerEnvironment) output.WriteLine($"server setting: {name}={value}");
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromSeconds(30) };
            await BenchmarkServer.WaitHealthyAsync(server, http, ServerLog);
            var counting = await StorageCallsAsync(http) is not null;
            var ping = (await http.GetAsync("/dev/ping")).StatusCode == HttpStatusCode.OK;
            output.WriteLine($"server: {settings.ServerRepoRoot} (Release, pid {server.Id}); storage: Azurite in memory; {Environment.ProcessorCount} cores");
            output.WriteLine($"load: wrk -t{settings.Threads} -c{settings.Connections} -d{settings.Seconds}s per endpoint after a {WarmUpSeconds} s warm-up ({FirstWarmUpSeconds} s before the voice webhook's first run); org of {settings.Reps} reps, requests spread over all of them");
            output.WriteLine($"logs: wrk {WrkLog}, server {ServerLog}");
            output.WriteLine($"storage calls: {(counting ? "counted inside the dev server (StoragePipeline policy, \"storage calls/req\" only while serving a request, \"all\" with background loops too, over the same interval; GET /dev/storage-calls)" : "not available on this server")}");

            var reps = Reps();
            var tokens = await MintDevTokensAsync(http, reps);
            var etags = await MeETagsAsync(http, reps, tokens);

            double? ceiling = null;
            if (ping)
            {
                ceiling = (await MeasureAsync(http, "GET /dev/ping (no I/O: the ceiling)", "/dev/ping", Repeat(1, _ => Get("/dev/ping", []))))?.RequestsPerSecond;
            }

            await MeasureAsync(http, "GET /api/health", "/api/health", Repeat(1, _ => Get("/api/health", [])));
            await MeasureAsync(http, "GET /api/me (If-None-Match, 304)", "/api/me", Repeat(reps.Length, i =>
                Get("/api/me", [("Authorization", "Bearer " + tokens[i]), ("If-None-Match", etags[i])])));
            await MeasureAsync(http, "POST /api/calls/token", "/api/calls/token", Repeat(reps.Length, i =>
                new WrkRequest("POST", "/api/calls/token", [("Authorization", "Bearer " + tokens[i]), ("Content-Length", "0")], "")));

            var upsert = await RawUpsertRateAsync();
            var voiceCount = Math.Max(20_000, settings.Seconds * 4_000);
            var voice = await MeasureAsync(http, "POST /api/twilio/voice (signed)", "/api/twilio/voice",
                Repeat(voiceCount, i => Voice(publicBaseUrl, reps[i % reps.Length], "measure", i)),
                Repeat(FirstWarmUpSeconds * 4_000, i => Voice(publicBaseUrl, reps[i % reps.Length], "warmup", i)),
                warmUpSeconds: FirstWarmUpSeconds);

            // The same webhook at half its maximum rate: each connection waits between requests (wrk's delay hook), so the
            // latency is measured with the server and Azurite not saturated, as a prospect meets them on a normal day. The
            // wait is calibrated so that wait plus latency gives half the maximum rate, and drawn at random around its mean
            // so the connections do not send in lockstep bursts.
            Row? voiceHalf = null;
            if (voice is { RequestsPerSecond: > 0 })
            {
                var target = voice.RequestsPerSecond / 2;
                var delayMs = CalibratePacing(target, pass => Repeat(WarmUpSeconds * 4_000, i => Voice(publicBaseUrl, reps[i % reps.Length], "warmup", i + 200_000_000 + pass * 10_000_000)));
                voiceHalf = await MeasureAsync(http, $"POST /api/twilio/voice (signed, paced to half its maximum: {delayMs} ms mean wait between requests per connection)", "/api/twilio/voice",
                    Repeat(voiceCount, i => Voice(publicBaseUrl, reps[i % reps.Length], "measure", i + 100_000_000)),
                    Repeat(WarmUpSeconds * 4_000, i => Voice(publicBaseUrl, reps[i % reps.Length], "warmup", i + 100_000_000)),
                    delayMs);
            }

            // One request at a time: what a lone webhook costs, with nothing queued in the server or in Azurite.
            await MeasureAsync(http, "POST /api/twilio/voice (signed, 1 connection: one request at a time)", "/api/twilio/voice",
                Repeat(voiceCount, i => Voice(publicBaseUrl, reps[i % reps.Length], "measure", i + 300_000_000)),
                Repeat(WarmUpSeconds * 4_000, i => Voice(publicBaseUrl, reps[i % reps.Length], "warmup", i + 300_000_000)),
                connections: 1);

            var partitionInsert = await RawLedgerPartitionInsertRateAsync();

            // The raw enqueue rate is measured right before and right after the status run, onto the same queue while the
            // writer drains it, and the status run is read against their mean: what the writer leaves of Azurite changes
            // as the activities' partition grows, and bracketing the run shows that drift instead of hiding it.
            var enqueue = await RawEnqueueRateAsync(0);
            var status = await MeasureAsync(http, "POST /api/twilio/status (signed)", "/api/twilio/status",
                Repeat(voiceCount, i => Status(publicBaseUrl, reps[i % reps.Length], "measure", i)),
                Repeat(WarmUpSeconds * 4_000, i => Status(publicBaseUrl, reps[i % reps.Length], "warmup", i)));
            var enqueueAfter = await RawEnqueueRateAsync(1_000_000_000);

            output.WriteLine();
            output.WriteLine("| endpoint | req/s | p50 | p99 | errors | storage calls/req | all storage calls/req | vs ceiling | peak RSS | server CPU ms/req | Azurite CPU ms/req |");
            output.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
            foreach (var row in rows)
            {
                output.WriteLine($"| `{row.Name}` | {row.RequestsPerSecond:N0} | {row.P50} | {row.P99} | {row.Errors} | {Fixed(row.StorageCallsPerRequest)} | {Fixed(row.AllStorageCallsPerRequest)} | {Ratio(row.RequestsPerSecond, ceiling)} | {row.PeakRssMb} MB | {Fixed(row.ServerCpuMsPerRequest, "F3")} | {Fixed(row.AzuriteCpuMsPerRequest, "F3")} |");
            }

            output.WriteLine();
            output.WriteLine("Storage round trips per request by kind, over each run (\"(background)\": not made serving a request):");
            foreach (var row in rows.Where(r => r.StorageCallsByKind is not ("n/a" or "none")))
            {
                output.WriteLine($"- `{row.Name}`: {row.StorageCallsByKind}");
            }

            output.WriteLine();
            output.WriteLine($"- Azurite raw single-entity upsert (UpsertEntity, {settings.Connections} concurrent, {settings.Seconds} s): {upsert.PerSecond:N0}/s, p50 {upsert.P50:F1} ms, p99 {upsert.P99:F1} ms, Azurite CPU {Fixed(upsert.AzuriteCpuMsPerCall, "F3")} ms per upsert");
            output.WriteLine($"- voice webhook vs raw upsert: {Ratio(voice?.AcceptedPerSecond, upsert.PerSecond)}");
            output.WriteLine($"- Azurite raw insert (AddEntity, {settings.Connections} concurrent, {settings.Seconds} s) into the ledger's {CallLedger.Buckets} partitions of the org after the voice runs ({partitionInsert.Rows:N0} rows; Azurite finds a row by scanning its partition): {partitionInsert.Rate.PerSecond:N0}/s, p50 {partitionInsert.Rate.P50:F1} ms, p99 {partitionInsert.Rate.P99:F1} ms, Azurite CPU {Fixed(partitionInsert.Rate.AzuriteCpuMsPerCall, "F3")} ms per insert; voice webhook vs it: {Ratio(voice?.AcceptedPerSecond, partitionInsert.Rate.PerSecond)}");
            if (voiceHalf is not null)
            {
                output.WriteLine($"- voice webhook at half its maximum load: {voiceHalf.RequestsPerSecond:N0} req/s (target {voice!.RequestsPerSecond / 2:N0}: {Ratio(voiceHalf.RequestsPerSecond, voice.RequestsPerSecond)} of the maximum), p50 {voiceHalf.P50}, p99 {voiceHalf.P99}");
            }
            output.WriteLine($"- Azurite raw enqueue (QueueClient.SendMessageAsync, one event per message, onto the dev server's call-events queue while its writer drains it, {settings.Connections} concurrent, {settings.Seconds} s), right before the status run: {enqueue.PerSecond:N0}/s, p50 {enqueue.P50:F1} ms, p99 {enqueue.P99:F1} ms; right after it: {enqueueAfter.PerSecond:N0}/s, p50 {enqueueAfter.P50:F1} ms, p99 {enqueueAfter.P99:F1} ms");
            var enqueueMean = (enqueue.PerSecond + enqueueAfter.PerSecond) / 2;
            output.WriteLine($"- accepted status callbacks (204) vs raw enqueue: {status?.AcceptedPerSecond:N0}/s = {Ratio(status?.AcceptedPerSecond, enqueueMean)} of their mean {enqueueMean:N0}/s ({Ratio(status?.AcceptedPerSecond, enqueue.PerSecond)} of the rate before, {Ratio(status?.AcceptedPerSecond, enqueueAfter.PerSecond)} of the rate after)");
            output.WriteLine($"- dev server peak RSS (VmHWM) over the whole run: {PeakRssMb()} MB");
            return 0;
        }
        finally
        {
            if (!server.HasExited)
            {
                server.Kill(entireProcessTree: true);
                await server.WaitForExitAsync();
            }

            Directory.Delete(workDir, recursive: true);
        }
    }

    private static string Fixed(double? value, string format = "F2") => value?.ToString(format, CultureInfo.InvariantCulture) ?? "n/a";

    private static string Ratio(double? value, double? of) =>
        value is { } v && of is > 0 ? (v / of.Value).ToString("P0", CultureInfo.InvariantCulture) : "n/a";

    private static WrkRequest[] Repeat(int count, Func<int, WrkRequest> make) => Enumerable.Range(0, count).Select(make).ToArray();

    private static WrkRequest Get(string path, IReadOnlyList<(string, string)> headers) => new("GET", path, headers, null);

    // ---- requests ----

    private static WrkRequest Voice(string publicBaseUrl, string userId, string phase, int n)
    {
        var form = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["AccountSid"] = AccountSid,
            ["CallSid"] = Sid("CA", phase, n),
            ["From"] = "client:" + ClientIdentity.Encode(OrgId, userId).Value,
            ["To"] = "+12015550100",
        };
        return Webhook(publicBaseUrl, "/api/twilio/voice", form);
    }

    private static WrkRequest Status(string publicBaseUrl, string userId, string phase, int n)
    {
        var form = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["AccountSid"] = AccountSid,
            ["CallSid"] = Sid("CA", phase, n + 1_000_000_000),
            ["ParentCallSid"] = Sid("CA", phase, n),
            ["CallStatus"] = "ringing",
            ["SequenceNumber"] = "1",
            ["Timestamp"] = "Tue, 01 Dec 2026 07:00:03 +0000",
        };
        return Webhook(publicBaseUrl, $"/api/twilio/status?orgId={OrgId}&userId={userId}&method=computer", form);
    }

    /// <summary>A call SID of Twilio's shape (CA and 32 hex digits), unique per phase and number.</summary>
    private static string Sid(string prefix, string phase, long n) => prefix + (phase == "warmup" ? "e" : "f") + n.ToString("x31", CultureInfo.InvariantCulture);

    /// <summary>A form POST signed as Twilio signs it: HMAC-SHA1 over the public URL and the sorted form pairs.</summary>
    private static WrkRequest Webhook(string publicBaseUrl, string pathAndQuery, SortedDictionary<string, string> form)
    {
        var data = new StringBuilder(publicBaseUrl + pathAndQuery);
        foreach (var (name, value) in form)
        {
            data.Append(name).Append(value);
        }

        var signature = Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(DevAuthToken), Encoding.UTF8.GetBytes(data.ToString())));
        var body = string.Join('&', form.Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value)}"));
        return new WrkRequest("POST", pathAndQuery,
            [("Content-Type", "application/x-www-form-urlencoded"), ("X-Twilio-Signature", signature), ("Content-Length", Encoding.UTF8.GetByteCount(body).ToString(CultureInfo.InvariantCulture))],
            body);
    }

    // ---- measuring ----

    private async Task<Row?> MeasureAsync(HttpClient http, string name, string path, WrkRequest[] requests, WrkRequest[]? warmUp = null, int? delayMs = null, int? connections = null,
        int warmUpSeconds = WarmUpSeconds)
    {
        var script = WriteScript(name, requests, delayMs);
        var warmScript = warmUp is null ? script : WriteScript(name + " warm-up", warmUp, delayMs);
        RunWrk(warmScript, warmUpSeconds, connections);
        await Task.Delay(500);
        var before = await StorageCallsAsync(http);
        var (serverCpuBefore, azuriteCpuBefore) = (CpuMs(server?.Id), CpuMs(settings.AzuritePid));
        var result = RunWrk(script, settings.Seconds, connections);
        var (serverCpuAfter, azuriteCpuAfter) = (CpuMs(server?.Id), CpuMs(settings.AzuritePid));
        var after = await StorageCallsAsync(http);
        if (result is null)
        {
            output.WriteLine($"{name}: wrk gave no result");
            return null;
        }

        var row = new Row(name, path, result.RequestsPerSecond, result.P50, result.P99, result.Errors,
            before is { } b && after is { } a && result.Requests > 0 ? (double)(a.Serving - b.Serving) / result.Requests : null,
            before?.All is { } ba && after?.All is { } aa && result.Requests > 0 ? (double)(aa - ba) / result.Requests : null,
            StorageCalls.PerRequest(before, after, result.Requests),
            PeakRssMb(), (result.Requests - result.Errors) / result.Seconds,
            PerRequest(serverCpuAfter - serverCpuBefore, result.Requests), PerRequest(azuriteCpuAfter - azuriteCpuBefore, result.Requests));
        rows.Add(row);
        output.WriteLine($"{name}: {row.RequestsPerSecond:N0} req/s, p50 {row.P50}, p99 {row.P99}, {result.Requests} requests, {row.Errors} errors");
        await Task.Delay(1_000);
        return row;
    }

    /// <summary>
    /// The mean wait per connection that gives <paramref name="target"/> req/s: wrk's wait comes on top of each response's
    /// latency, so a wait of connections / target alone gives less. Starts from that, then corrects it three times by
    /// the latency the short paced runs (warm-up length, not measured) actually added.
    /// </summary>
    private int CalibratePacing(double target, Func<int, WrkRequest[]> requests)
    {
        var periodMs = 1_000.0 * settings.Connections / target;
        var delayMs = periodMs;
        for (var pass = 0; pass < 3; pass++)
        {
            var wait = Math.Max(0, (int)Math.Round(delayMs));
            if (RunWrk(WriteScript($"pacing pass {pass}", requests(pass), wait), WarmUpSeconds) is not { RequestsPerSecond: > 0 } run)
            {
                break;
            }

            var latencyMs = 1_000.0 * settings.Connections / run.RequestsPerSecond - wait;
            delayMs = Math.Max(0, periodMs - latencyMs);
            output.WriteLine($"pacing pass {pass}: {wait} ms wait gave {run.RequestsPerSecond:N0} req/s (target {target:N0}); next wait {delayMs:F0} ms");
        }

        return Math.Max(0, (int)Math.Round(delayMs));
    }

    /// <summary>
    /// A wrk script rotating over the requests; with <paramref name="delayMs"/>, each connection waits a random time
    /// between 0 and twice that (so that long on average) before each request.
    /// </summary>
    private string WriteScript(string name, WrkRequest[] requests, int? delayMs = null)
    {
        var path = Path.Combine(workDir, $"{Guid.NewGuid():N}.lua");
        using var lua = new StreamWriter(path);
        lua.WriteLine($"-- {name}: {requests.Length} pre-computed requests, rotated; each wrk thread starts at its own offset");
        lua.WriteLine("local specs = {");
        foreach (var r in requests)
        {
            var headers = string.Join(", ", r.Headers.Select(h => $"[{LuaString(h.Name)}] = {LuaString(h.Value)}"));
            lua.WriteLine($"{{{LuaString(r.Method)}, {LuaString(r.Path)}, {{{headers}}}, {(r.Body is null ? "nil" : LuaString(r.Body))}}},");
        }

        lua.WriteLine("}");
        lua.WriteLine("""
            local threads = 0
            function setup(thread)
              thread:set("tid", threads)
              threads = threads + 1
            end
            local formatted = {}
            local i = 0
            function init(args)
              for k, s in ipairs(specs) do formatted[k] = wrk.format(s[1], s[2], s[3], s[4]) end
              i = (tid or 0) * math.floor(#formatted / 2)
              math.randomseed((tid or 0) + 1)
            end
            function request()
              i = i % #formatted + 1
              return formatted[i]
            end
            """);
        if (delayMs is { } wait)
        {
            lua.WriteLine($"function delay() return math.random(0, {2 * wait}) end");
        }
        return path;
    }

    private static string LuaString(string value) => "\"" + value.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";

    private WrkResult? RunWrk(string script, int seconds, int? connections = null)
    {
        var threads = Math.Min(settings.Threads, connections ?? settings.Threads);
        var start = new ProcessStartInfo("wrk")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in new[] { $"-t{threads}", $"-c{connections ?? settings.Connections}", $"-d{seconds}s", "--latency", "--timeout", "10s", "-s", script, baseUrl })
        {
            start.ArgumentList.Add(arg);
        }

        using var wrk = Process.Start(start)!;
        var text = wrk.StandardOutput.ReadToEnd();
        var errors = wrk.StandardError.ReadToEnd();
        wrk.WaitForExit();
        File.AppendAllText(WrkLog, text + errors);
        var rps = WrkRps().Match(text);
        var total = WrkTotal().Match(text);
        if (!rps.Success || !total.Success)
        {
            output.WriteLine(text + errors);
            return null;
        }

        var non2xx = WrkNon2xx().Match(text);
        var socketErrors = WrkSocketErrors().Match(text);
        var failed = (non2xx.Success ? long.Parse(non2xx.Groups[1].Value, CultureInfo.InvariantCulture) : 0)
            + (socketErrors.Success ? socketErrors.Groups.Values.Skip(1).Sum(g => long.Parse(g.Value, CultureInfo.InvariantCulture)) : 0);
        return new WrkResult(
            double.Parse(rps.Groups[1].Value, CultureInfo.InvariantCulture),
            long.Parse(total.Groups[1].Value, CultureInfo.InvariantCulture),
            double.Parse(total.Groups[2].Value, CultureInfo.InvariantCulture),
            Percentile(text, "50%"), Percentile(text, "99%"), failed);
    }

    private static string Percentile(string wrkOutput, string label)
    {
        var match = Regex.Match(wrkOutput, @"^\s+" + Regex.Escape(label) + @"\s+(\S+)", RegexOptions.Multiline);
        return match.Success ? match.Groups[1].Value : "n/a";
    }

    [GeneratedRegex(@"Requests/sec:\s+([\d.]+)")]
    private static partial Regex WrkRps();

    [GeneratedRegex(@"(\d+) requests in ([\d.]+)s")]
    private static partial Regex WrkTotal();

    [GeneratedRegex(@"Non-2xx or 3xx responses: (\d+)")]
    private static partial Regex WrkNon2xx();

    [GeneratedRegex(@"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")]
    private static partial Regex WrkSocketErrors();

    private async Task<RawRate> RawUpsertRateAsync()
    {
        var table = new TableServiceClient(connectionString).GetTableClient("BenchRawUpserts");
        await table.CreateIfNotExistsAsync();
        long next = 0;
        return await RawLoopAsync(async () =>
        {
            var n = Interlocked.Increment(ref next);
            await table.UpsertEntityAsync(new TableEntity("raw-" + (n % 1_000).ToString("D4", CultureInfo.InvariantCulture), n.ToString("D12", CultureInfo.InvariantCulture))
            {
                ["Status"] = "in-progress", ["UserId"] = "rep-0001", ["StartedAt"] = DateTimeOffset.UtcNow,
            });
        });
    }

    /// <summary>
    /// Single inserts into the call ledger's partitions of the benchmark org, as big as the voice runs left them, each row
    /// in its SID's partition as the ledger puts it: Azurite (in memory) finds an entity by scanning its partition, so
    /// inserts slow as the partitions grow, which the raw upsert over 1,000 small partitions does not show.
    /// </summary>
    private async Task<(RawRate Rate, long Rows)> RawLedgerPartitionInsertRateAsync()
    {
        var table = new TableServiceClient(connectionString).GetTableClient(TableNames.Calls);
        var partitions = Enumerable.Range(0, CallLedger.Buckets).Select(b => $"{OrgId}~{b:x2}").ToList();
        long rows = 0;
        foreach (var partition in partitions.Append(OrgId))
        {
            await foreach (var _ in table.QueryAsync<TableEntity>(e => e.PartitionKey == partition, select: ["RowKey"]))
            {
                rows++;
            }
        }

        long next = 0;
        var rate = await RawLoopAsync(async () =>
        {
            var sid = Sid("CA", "raw", Interlocked.Increment(ref next) + 3_000_000_000L);
            await table.AddEntityAsync(new TableEntity(CallLedger.PartitionFor(OrgId, sid), sid)
            {
                ["OrgId"] = OrgId, ["UserId"] = "rep-0001", ["Method"] = "computer", ["ProspectNumber"] = "+12015550100", ["CreatedAt"] = DateTimeOffset.UtcNow,
            });
        });
        return (rate, rows);
    }

    /// <summary>
    /// Raw enqueue: <see cref="QueueClient.SendMessageAsync(string)"/> of one status event per message (the single-event
    /// form, not the product's publisher, which packs concurrent events into one message) in a tight loop onto the same
    /// queue the dev server publishes to and drains, so the writer's draining competes here as it does during the status run.
    /// </summary>
    private async Task<RawRate> RawEnqueueRateAsync(long firstSid)
    {
        var queues = new QueueServiceClient(connectionString, StorageQueueCallEvents.ClientOptions);
        var queue = queues.GetQueueClient(CallEventsQueue);
        var next = firstSid;
        var rate = await RawLoopAsync(async () =>
        {
            var n = Interlocked.Increment(ref next);
            await queue.SendMessageAsync(CallEventSerializer.Serialize(new CallEventMessage
            {
                Kind = CallEventKind.CallStatus, OrgId = OrgId, CallSid = Sid("CA", "raw", n + 2_000_000_000), ParentCallSid = Sid("CA", "raw", n),
                Leg = Playbooks.Calling.Activity.CallLeg.Prospect, CallStatus = CallStatus.Ringing, SequenceNumber = 1, Timestamp = DateTimeOffset.UtcNow,
                ReceivedAt = DateTimeOffset.UtcNow, UserId = "rep-0001", Method = CallingMethod.Computer,
            }));
        });
        await WaitForDrainAsync(queues.GetQueueClient(CallEventsQueue));
        return rate;
    }

    /// <summary>Waits (at most 120 s) until the dev server's activity writer has emptied the call-event queue.</summary>
    private async Task WaitForDrainAsync(QueueClient queue)
    {
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < TimeSpan.FromSeconds(120))
        {
            var count = (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount;
            if (count == 0) break;
            await Task.Delay(500);
        }

        output.WriteLine($"call-event queue drained by the dev server's writer in {waited.Elapsed.TotalSeconds:F0} s");
    }

    /// <summary>The given storage call in a tight loop on as many concurrent workers as wrk has connections.</summary>
    private async Task<RawRate> RawLoopAsync(Func<Task> call)
    {
        var warm = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, settings.Connections).Select(async _ =>
        {
            while (warm.Elapsed < TimeSpan.FromSeconds(WarmUpSeconds)) await call();
        }));

        var latencies = new ConcurrentBag<double>();
        var azuriteCpu = CpuMs(settings.AzuritePid);
        var clock = Stopwatch.StartNew();
        var duration = TimeSpan.FromSeconds(settings.Seconds);
        await Task.WhenAll(Enumerable.Range(0, settings.Connections).Select(async _ =>
        {
            while (clock.Elapsed < duration)
            {
                var at = Stopwatch.GetTimestamp();
                await call();
                latencies.Add(Stopwatch.GetElapsedTime(at).TotalMilliseconds);
            }
        }));
        clock.Stop();
        azuriteCpu = CpuMs(settings.AzuritePid) - azuriteCpu;
        var sorted = latencies.Order().ToArray();
        double At(double q) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];
        await Task.Delay(1_000);
        return new RawRate(sorted.Length / clock.Elapsed.TotalSeconds, At(0.50), At(0.99), PerRequest(azuriteCpu, sorted.Length));
    }

    // ---- the server and its data ----

    private static void EnsureWrk()
    {
        if (CanRun("wrk", "-v")) return;
        Console.Error.WriteLine("wrk is missing; installing it with apt-get");
        using var apt = Process.Start(new ProcessStartInfo("apt-get", "install -y wrk"))!;
        apt.WaitForExit();
        if (!CanRun("wrk", "-v")) throw new InvalidOperationException("wrk is not installed and apt-get could not install it.");
    }

    private static bool CanRun(string file, string arguments)
    {
        try
        {
            using var p = Process.Start(new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
            p.WaitForExit();
            return true;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    private string[] Reps() => Enumerable.Range(1, settings.Reps).Select(n => $"rep-{n:D4}").ToArray();

    private static async Task<string[]> MintDevTokensAsync(HttpClient http, string[] reps)
    {
        var tokens = new string[reps.Length];
        await Parallel.ForEachAsync(Enumerable.Range(0, reps.Length), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
        {
            using var response = await http.PostAsJsonAsync("/dev/token", new { userId = reps[i], orgId = OrgId, roles = new[] { AppRoles.Rep } }, ct);
            response.EnsureSuccessStatusCode();
            tokens[i] = (await response.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("accessToken").GetString()!;
        });
        return tokens;
    }

    private static async Task<string[]> MeETagsAsync(HttpClient http, string[] reps, string[] tokens)
    {
        var etags = new string[reps.Length];
        await Parallel.ForEachAsync(Enumerable.Range(0, reps.Length), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/me");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tokens[i]);
            using var response = await http.SendAsync(request, ct);
            response.EnsureSuccessStatusCode();
            etags[i] = response.Headers.ETag?.ToString() ?? throw new InvalidOperationException("GET /api/me returned no ETag.");
        });
        return etags;
    }

    /// <summary>Storage round trips so far: those made while serving requests, all of them (background loops too) and all by kind; null when not counted.</summary>
    private static async Task<StorageCalls?> StorageCallsAsync(HttpClient http)
    {
        using var response = await http.GetAsync("/dev/storage-calls");
        if (!response.IsSuccessStatusCode) return null;
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        if (!body.GetProperty("enabled").GetBoolean()) return null;
        var byKind = body.TryGetProperty("byKind", out var kinds)
            ? kinds.EnumerateObject().ToDictionary(k => k.Name, k => k.Value.GetInt64(), StringComparer.Ordinal)
            : new Dictionary<string, long>(StringComparer.Ordinal);
        return new StorageCalls(body.GetProperty("count").GetInt64(), body.TryGetProperty("all", out var all) ? all.GetInt64() : null, byKind);
    }

    private sealed record StorageCalls(long Serving, long? All, IReadOnlyDictionary<string, long> ByKind)
    {
        /// <summary>"POST Calls 1.00, GET People (background) 0.21" per request between two counts, most frequent first.</summary>
        public static string PerRequest(StorageCalls? before, StorageCalls? after, long requests) =>
            before is null || after is null || requests <= 0 ? "n/a"
                : string.Join(", ", after.ByKind
                    .Select(k => (k.Key, Count: k.Value - before.ByKind.GetValueOrDefault(k.Key)))
                    .Where(k => k.Count > 0)
                    .OrderByDescending(k => k.Count)
                    .Select(k => $"{k.Key} {(double)k.Count / requests:F2}")) is { Length: > 0 } text ? text : "none";
    }

    /// <summary>A process's CPU time so far (user and system, all threads) in milliseconds, from /proc; null when unknown.</summary>
    private static double? CpuMs(int? pid)
    {
        if (pid is null || !File.Exists($"/proc/{pid}/stat")) return null;
        // Fields after the command name, which is in parentheses and may hold spaces: utime and stime are the 12th and 13th.
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return ticks * 1_000.0 / ClockTicksPerSecond;
    }

    /// <summary>USER_HZ, which Linux fixes at 100 for /proc on every architecture .NET runs on.</summary>
    private const double ClockTicksPerSecond = 100;

    private static double? PerRequest(double? cpuMs, long requests) => cpuMs is { } ms && requests > 0 ? ms / requests : null;

    private long PeakRssMb()
    {
        if (server is null || server.HasExited) return 0;
        var line = File.ReadLines($"/proc/{server.Id}/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
    }

    private sealed record WrkRequest(string Method, string Path, IReadOnlyList<(string Name, string Value)> Headers, string? Body);

    private sealed record WrkResult(double RequestsPerSecond, long Requests, double Seconds, string P50, string P99, long Errors);

    private sealed record Row(string Name, string Path, double RequestsPerSecond, string P50, string P99, long Errors, double? StorageCallsPerRequest,
        double? AllStorageCallsPerRequest, string StorageCallsByKind, long PeakRssMb, double AcceptedPerSecond,
        double? ServerCpuMsPerRequest, double? AzuriteCpuMsPerRequest);

    private sealed record RawRate(double PerSecond, double P50, double P99, double? AzuriteCpuMsPerCall);
}
