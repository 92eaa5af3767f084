using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using Playbooks.Calling.Calls;
using Playbooks.Calling.Identity;
using Playbooks.Calling.Orgs;
using Playbooks.Calling.Storage;

namespace Playbooks.Benchmarks;

/// <summary>What the mixed mode runs: <see cref="Rate"/> requests a second for <see cref="Seconds"/> against the dev server of <see cref="ServerRepoRoot"/>.</summary>
internal sealed record MixedSettings(string ServerRepoRoot, int Rate, int Seconds, int Reps, bool Build);

/// <summary>
/// Mixed API traffic at a fixed rate against the dev server (Release, Azurite with its data on disk), as a day of calling sends it:
/// every call is a voice webhook, four status callbacks of its prospect leg and the rep's disposition, between token
/// mints, profile reads, health probes and admin list pages. The schedule is open-loop: request n leaves at n / rate
/// seconds whether or not earlier ones have answered, and its latency counts from that moment, so a slow server shows
/// as latency rather than as a lower rate. Afterwards it waits for the writer to drain and checks every accepted event
/// (status 204, disposition 200) against the activities, and prints totals, 5xx, per-route counts, p50 and p99, lost
/// events and the server's RSS.
/// </summary>
internal sealed class MixedBenchmark(MixedSettings settings, string connectionString, TextWriter output)
{
    private const string OrgId = "mixed-org";
    private const string GroupId = "mixed-callers";
    private const string CallerId = "+15005550043";
    private const string AccountSid = "AC00000000000000000000000000000de7";
    private const string DevAuthToken = "development-only-simulator-auth-token";
    private const string CallEventsQueue = "call-events";

    /// <summary>
    /// One cycle of 20 requests: voice ×2 (two calls start), status ×8 (the four callbacks of the two calls of the
    /// cycle before), disposition ×2 (the two calls of <see cref="DispositionLagCycles"/> cycles before), token ×2,
    /// /api/me ×3, health ×2, admin list ×1.
    /// </summary>
    private static readonly string[] Cycle =
    [
        "voice", "status", "me", "token", "status", "health", "status", "disposition", "status", "me",
        "voice", "status", "token", "status", "health", "status", "disposition", "status", "me", "admin",
    ];

    private const int DispositionLagCycles = 30;

    private static readonly string LogPath = Path.Combine(Path.GetTempPath(), "playbooks-mixed-server.log");

    private readonly ConcurrentDictionary<string, ConcurrentBag<Sample>> _samples = new();
    private readonly ConcurrentDictionary<string, byte> _acceptedStatus = new();
    private readonly ConcurrentDictionary<int, Task> _voices = new();
    private readonly ConcurrentDictionary<string, byte> _acceptedDisposition = new();
    private Process? _server;

    public async Task<int> RunAsync()
    {
        var dll = settings.Build ? BenchmarkServer.Build(settings.ServerRepoRoot, output) : BenchmarkServer.Dll(settings.ServerRepoRoot);
        var port = BenchmarkServer.FreePort();
        var baseUrl = $"http://127.0.0.1:{port}";
        await BenchmarkServer.SeedOrgAsync(connectionString, OrgId, "Mixed load", CallerId, GroupId, Reps());
        _server = BenchmarkServer.Start(settings.ServerRepoRoot, dll, connectionString, baseUrl, baseUrl, [], LogPath);
        try
        {
            using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 1024, PooledConnectionLifetime = TimeSpan.FromMinutes(10) })
            {
                BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromSeconds(30),
            };
            await BenchmarkServer.WaitHealthyAsync(_server, http, LogPath);
            var reps = Reps();
            var tokens = await Task.WhenAll(reps.Select(r => DevTokenAsync(http, r, AppRoles.Rep)));
            var adminToken = await DevTokenAsync(http, "admin-1", AppRoles.Admin);

            output.WriteLine($"server: {settings.ServerRepoRoot} (Release, pid {_server.Id}); storage: Azurite, data on disk; {Environment.ProcessorCount} cores; load average at start: {LoadAverage()}");
            output.WriteLine($"load: {settings.Rate} req/s open-loop for {settings.Seconds} s, mixed per 20 requests: {string.Join(", ", Cycle.GroupBy(r => r).Select(g => $"{g.Key} ×{g.Count()}"))}; {settings.Reps} reps");
            output.WriteLine($"server log: {LogPath}");

            // The baseline of this run: the host's no-I/O route at the same open-loop rate, for 5 s.
            var ping = await OpenLoopAsync(http, settings.Rate * 5, _ => new Planned("ping", new HttpRequestMessage(HttpMethod.Get, "/dev/ping")));
            var pingSorted = ping.Values.SelectMany(s => s).Select(s => s.Milliseconds).Order().ToArray();
            output.WriteLine($"baseline: GET /dev/ping (no I/O) at {settings.Rate} req/s for 5 s: p50 {Percentile(pingSorted, 0.50):F1} ms, p99 {Percentile(pingSorted, 0.99):F1} ms, {ping.Values.SelectMany(s => s).Count(s => s.Status != 200)} not 200");

            var requests = settings.Rate * settings.Seconds;
            var samples = await OpenLoopAsync(http, requests, n => Plan(n, reps, tokens, adminToken, baseUrl));
            foreach (var (route, bag) in samples) _samples[route] = bag;

            var drained = await WaitForDrainAsync();
            var (lost, landed, missing) = await CheckActivitiesAsync(http, adminToken);
            Report(requests, drained, lost, landed, missing);
            return _samples.Values.SelectMany(s => s).Any(s => s.Status >= 500 || s.Status == 0) || lost > 0 ? 1 : 0;
        }
        finally
        {
            if (!_server.HasExited)
            {
                _server.Kill(entireProcessTree: true);
                await _server.WaitForExitAsync();
            }
        }
    }

    // ---- the schedule ----

    private sealed record Planned(string Route, HttpRequestMessage Message, string? StatusKey = null, string? DispositionKey = null)
    {
        /// <summary>The call a voice webhook starts, or the call whose voice webhook must have answered first (a disposition).</summary>
        public int? VoiceOf { get; init; }
    }

    private sealed record Sample(int Status, double Milliseconds);

    /// <summary>Request n of the schedule (see <see cref="Cycle"/>); where a cycle's call does not exist yet, a profile read.</summary>
    private static Planned Plan(int n, string[] reps, string[] tokens, string adminToken, string baseUrl)
    {
        var cycle = n / Cycle.Length;
        var slot = n % Cycle.Length;
        var route = Cycle[slot];
        var ordinal = Cycle.Take(slot).Count(r => r == route); // which voice/status/disposition of its cycle
        var rep = (n * 7) % reps.Length;
        switch (route)
        {
            case "voice":
                {
                    var call = cycle * 2 + ordinal;
                    return new Planned(route, Webhook(baseUrl, "/api/twilio/voice", new SortedDictionary<string, string>(StringComparer.Ordinal)
                    {
                        ["AccountSid"] = AccountSid,
                        ["CallSid"] = AgentSid(call),
                        ["From"] = "client:" + ClientIdentity.Encode(OrgId, RepOf(call, reps)).Value,
                        ["To"] = "+12015550100",
                    })) { VoiceOf = call };
                }

            case "status" when cycle >= 1:
                {
                    var call = (cycle - 1) * 2 + ordinal / 4;
                    var step = ordinal % 4;
                    var status = new[] { "initiated", "ringing", "in-progress", "completed" }[step];
                    var form = new SortedDictionary<string, string>(StringComparer.Ordinal)
                    {
                        ["AccountSid"] = AccountSid,
                        ["CallSid"] = ProspectSid(call),
                        ["ParentCallSid"] = AgentSid(call),
                        ["CallStatus"] = status,
                        ["SequenceNumber"] = step.ToString(CultureInfo.InvariantCulture),
                        ["Timestamp"] = DateTimeOffset.UtcNow.ToString("ddd, dd MMM yyyy HH:mm:ss +0000", CultureInfo.InvariantCulture),
                        ["To"] = "+12015550100",
                        ["From"] = CallerId,
                    };
                    if (status == "completed") form["CallDuration"] = "42";
                    return new Planned(route, Webhook(baseUrl, $"/api/twilio/status?orgId={OrgId}&userId={RepOf(call, reps)}&method=computer", form),
                        StatusKey: $"{AgentSid(call)}/{status}");
                }

            case "disposition" when cycle >= DispositionLagCycles:
                {
                    var call = (cycle - DispositionLagCycles) * 2 + ordinal;
                    var message = new HttpRequestMessage(HttpMethod.Put, $"/api/calls/{AgentSid(call)}/disposition")
                    {
                        Content = JsonContent.Create(new { disposition = "follow-up", notes = "call back on Tuesday" }),
                    };
                    message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tokens[call % reps.Length]);
                    // A rep dispositions a call that has started: if its voice webhook has not answered yet, this waits
                    // for it (and the wait counts in the disposition's latency).
                    return new Planned(route, message, DispositionKey: AgentSid(call)) { VoiceOf = call };
                }

            case "token":
                return new Planned(route, Authorized(HttpMethod.Post, "/api/calls/token", tokens[rep]));
            case "health":
                return new Planned(route, new HttpRequestMessage(HttpMethod.Get, "/api/health"));
            case "admin":
                return new Planned(route, Authorized(HttpMethod.Get, "/api/admin/calls?pageSize=50", adminToken));
            default:
                return new Planned("me", Authorized(HttpMethod.Get, "/api/me", tokens[rep]));
        }
    }

    private static string AgentSid(int call) => "CA" + call.ToString("x32", CultureInfo.InvariantCulture);

    private static string ProspectSid(int call) => "CA" + (call + (1L << 40)).ToString("x32", CultureInfo.InvariantCulture);

    private static string RepOf(int call, string[] reps) => reps[call % reps.Length];

    private static HttpRequestMessage Authorized(HttpMethod method, string path, string token)
    {
        var message = new HttpRequestMessage(method, path);
        message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return message;
    }

    /// <summary>A form POST signed as Twilio signs it, for the server's public URL (its own).</summary>
    private static HttpRequestMessage Webhook(string baseUrl, string pathAndQuery, SortedDictionary<string, string> form)
    {
        var data = new StringBuilder(baseUrl + pathAndQuery);
        foreach (var (name, value) in form) data.Append(name).Append(value);
        var signature = Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(DevAuthToken), Encoding.UTF8.GetBytes(data.ToString())));
        var message = new HttpRequestMessage(HttpMethod.Post, pathAndQuery) { Content = new FormUrlEncodedContent(form) };
        message.Headers.Add("X-Twilio-Signature", signature);
        return message;
    }

    /// <summary>Sends <paramref name="requests"/> requests at the configured rate, request n due at n / rate seconds; waits for every answer.</summary>
    private async Task<ConcurrentDictionary<string, ConcurrentBag<Sample>>> OpenLoopAsync(HttpClient http, int requests, Func<int, Planned> plan)
    {
        var samples = new ConcurrentDictionary<string, ConcurrentBag<Sample>>();
        var interval = TimeSpan.FromSeconds(1.0 / settings.Rate);
        var inFlight = new List<Task>(requests);
        var clock = Stopwatch.StartNew();
        for (var n = 0; n < requests; n++)
        {
            var due = interval * n;
            var wait = due - clock.Elapsed;
            if (wait > TimeSpan.FromMilliseconds(1))
            {
                await Task.Delay(wait);
            }

            var planned = plan(n);
            var sending = SendAsync(http, planned, clock, due, samples);
            if (planned is { Route: "voice", VoiceOf: { } call })
            {
                _voices[call] = sending;
            }

            inFlight.Add(sending);
        }

        var sentIn = clock.Elapsed;
        await Task.WhenAll(inFlight);
        output.WriteLine($"sent {requests} requests in {sentIn.TotalSeconds:F1} s ({requests / sentIn.TotalSeconds:F0} req/s); the last answered after {clock.Elapsed.TotalSeconds:F1} s");
        return samples;
    }

    private async Task SendAsync(HttpClient http, Planned planned, Stopwatch clock, TimeSpan due, ConcurrentDictionary<string, ConcurrentBag<Sample>> samples)
    {
        var status = 0;
        try
        {
            if (planned is { Route: "disposition", VoiceOf: { } call } && _voices.TryGetValue(call, out var voice))
            {
                await voice;
            }

            using var response = await http.SendAsync(planned.Message);
            await response.Content.LoadIntoBufferAsync();
            status = (int)response.StatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            status = 0; // no answer: counted with the 5xx
        }
        finally
        {
            planned.Message.Dispose();
        }

        // From when the request was due, not when it left: an open-loop schedule's latency includes any wait to be sent.
        samples.GetOrAdd(planned.Route, _ => []).Add(new Sample(status, (clock.Elapsed - due).TotalMilliseconds));
        if (status == 204 && planned.StatusKey is { } statusKey) _acceptedStatus.TryAdd(statusKey, 0);
        if (status == 200 && planned.DispositionKey is { } dispositionKey) _acceptedDisposition.TryAdd(dispositionKey, 0);
    }

    // ---- after the load ----

    private async Task<TimeSpan> WaitForDrainAsync()
    {
        var queue = new QueueClient(connectionString, CallEventsQueue);
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < TimeSpan.FromSeconds(300) && (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount > 0)
        {
            await Task.Delay(250);
        }

        return waited.Elapsed;
    }

    /// <summary>Every accepted event against the org's activities (all pages of the admin list), waiting up to 60 s for the last writes.</summary>
    private async Task<(int Lost, int Landed, IReadOnlyList<string> Missing)> CheckActivitiesAsync(HttpClient http, string adminToken)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var activities = await AdminListAsync(http, adminToken);
            var missing = new List<string>();
            foreach (var key in _acceptedStatus.Keys)
            {
                var (sid, status) = (key[..key.IndexOf('/')], key[(key.IndexOf('/') + 1)..]);
                var field = status switch { "initiated" => "initiatedAt", "ringing" => "ringingAt", "in-progress" => "answeredAt", _ => "endedAt" };
                if (!activities.TryGetValue(sid, out var a) || !a.TryGetProperty(field, out var v) || v.ValueKind == JsonValueKind.Null) missing.Add(key);
            }

            foreach (var sid in _acceptedDisposition.Keys)
            {
                if (!activities.TryGetValue(sid, out var a) || !a.TryGetProperty("disposition", out var v) || v.GetString() != "follow-up") missing.Add(sid + "/disposition");
            }

            var accepted = _acceptedStatus.Count + _acceptedDisposition.Count;
            if (missing.Count == 0 || deadline.Elapsed > TimeSpan.FromSeconds(60))
            {
                return (missing.Count, accepted - missing.Count, missing);
            }

            await Task.Delay(1_000);
        }
    }

    private static async Task<Dictionary<string, JsonElement>> AdminListAsync(HttpClient http, string adminToken)
    {
        var all = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        string? token = null;
        do
        {
            using var request = Authorized(HttpMethod.Get, "/api/admin/calls?pageSize=200" + (token is null ? "" : "&continuationToken=" + Uri.EscapeDataString(token)), adminToken);
            using var response = await http.SendAsync(request);
            response.EnsureSuccessStatusCode();
            var page = await response.Content.ReadFromJsonAsync<JsonElement>();
            foreach (var item in page.GetProperty("items").EnumerateArray()) all[item.GetProperty("callSid").GetString()!] = item.Clone();
            token = page.TryGetProperty("continuationToken", out var next) && next.ValueKind == JsonValueKind.String ? next.GetString() : null;
        }
        while (token is not null);

        return all;
    }

    private void Report(int requests, TimeSpan drained, int lost, int landed, IReadOnlyList<string> missing)
    {
        var all = _samples.Values.SelectMany(s => s).ToList();
        var fivexx = all.Count(s => s.Status >= 500);
        var unanswered = all.Count(s => s.Status == 0);
        output.WriteLine();
        output.WriteLine("| route | requests | share | 2xx/304 | 4xx | 5xx | no answer | p50 | p99 | answers |");
        output.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|");
        foreach (var (route, bag) in _samples.OrderByDescending(p => p.Value.Count))
        {
            var samples = bag.ToList();
            var sorted = samples.Select(s => s.Milliseconds).Order().ToArray();
            output.WriteLine($"| {RouteName(route)} | {samples.Count} | {(double)samples.Count / requests:P0} | {samples.Count(s => s.Status is >= 200 and < 400)} | {samples.Count(s => s.Status is >= 400 and < 500)} | {samples.Count(s => s.Status >= 500)} | {samples.Count(s => s.Status == 0)} | {Percentile(sorted, 0.50):F1} ms | {Percentile(sorted, 0.99):F1} ms | {string.Join(", ", samples.GroupBy(s => s.Status).OrderBy(g => g.Key).Select(g => $"{g.Key}×{g.Count()}"))} |");
        }

        var overall = all.Select(s => s.Milliseconds).Order().ToArray();
        output.WriteLine();
        output.WriteLine($"- total requests: {all.Count} (scheduled {requests}); 5xx: {fivexx}; no answer: {unanswered}; all routes p50 {Percentile(overall, 0.50):F1} ms, p99 {Percentile(overall, 0.99):F1} ms");
        output.WriteLine($"- events accepted: {_acceptedStatus.Count} status callbacks (204) + {_acceptedDisposition.Count} dispositions (200) = {_acceptedStatus.Count + _acceptedDisposition.Count}; in their activities: {landed}; lost: {lost}{(missing.Count > 0 ? " (e.g. " + string.Join(", ", missing.Take(5)) + ")" : "")}");
        output.WriteLine($"- call-event queue empty {drained.TotalSeconds:F1} s after the last answer");
        output.WriteLine($"- dev server RSS: {Rss("VmRSS")} MB now, peak (VmHWM) {Rss("VmHWM")} MB");
        output.WriteLine($"- load average at the end: {LoadAverage()}");
    }

    private static string RouteName(string route) => route switch
    {
        "voice" => "`POST /api/twilio/voice` (signed)",
        "status" => "`POST /api/twilio/status` (signed)",
        "disposition" => "`PUT /api/calls/{sid}/disposition`",
        "token" => "`POST /api/calls/token`",
        "health" => "`GET /api/health`",
        "admin" => "`GET /api/admin/calls?pageSize=50`",
        _ => "`GET /api/me`",
    };

    private static double Percentile(double[] sorted, double q) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, Math.Max(0, (int)Math.Ceiling(q * sorted.Length) - 1))];

    private long Rss(string field)
    {
        if (_server is null || _server.HasExited) return 0;
        var line = File.ReadLines($"/proc/{_server.Id}/status").FirstOrDefault(l => l.StartsWith(field + ":", StringComparison.Ordinal));
        return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
    }

    private static string LoadAverage() => string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));

    // ---- the server and its data ----

    private string[] Reps() => Enumerable.Range(1, settings.Reps).Select(n => $"rep-{n:D3}").ToArray();

    private static async Task<string> DevTokenAsync(HttpClient http, string userId, string role)
    {
        using var response = await http.PostAsJsonAsync("/dev/token", new { userId, orgId = OrgId, roles = new[] { role } });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString()!;
    }
}
