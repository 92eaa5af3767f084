using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Playbooks.DevServer.Tests.Http;
using Playbooks.DevServer.TwilioSimulator;
using Xunit.Abstractions;

namespace Playbooks.DevServer.Tests.Security;

/// <summary>
/// More than a thousand mutations of correctly signed Twilio requests to each /api/twilio/* route: every one is refused with
/// 403, nothing is queued and nothing is dialed; the unmutated requests are accepted, so the check can fail.
/// </summary>
[Collection(WebhookCollection.Name)]
public sealed class ForgedWebhookTests(WebhookServer server, ITestOutputHelper output)
{
    private const int Bases = 8;

    public static TheoryData<string> WebhookRoutes()
    {
        var data = new TheoryData<string>();
        foreach (var route in ApiRoute.All.Where(r => r.IsTwilioWebhook && r.Method == "POST"))
        {
            data.Add(route.Template);
        }

        return data;
    }

    [Fact]
    public void WebhookRoutes_Discovered_IncludeEveryTwilioCallback()
    {
        Assert.Superset(
            new HashSet<string> { "/api/twilio/recording-status", "/api/twilio/status", "/api/twilio/voice" },
            ((IEnumerable<object[]>)WebhookRoutes()).Select(r => (string)r[0]).ToHashSet());
    }

    [Fact]
    public void Mutations_EveryWebhookRoute_AtLeastAThousandEach()
    {
        var perRoute = ApiRoute.All.Where(r => r.IsTwilioWebhook && r.Method == "POST")
            .ToDictionary(r => r.Template, r => Forgeries(r.Template).Count);

        output.WriteLine($"Forged webhooks: {perRoute.Values.Sum()} mutations over {perRoute.Count} routes.");
        foreach (var (route, count) in perRoute.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            output.WriteLine($"  {route}: {count}");
        }

        Assert.All(perRoute, p => Assert.True(p.Value >= 1000, $"Only {p.Value} mutations of {p.Key}."));
    }

    [Theory]
    [MemberData(nameof(WebhookRoutes))]
    public async Task SignedWebhook_AnyMutation_Returns403AndNothingIsQueuedOrDialed(string route)
    {
        // Arrange
        var bases = Enumerable.Range(0, Bases).Select(i => BaseRequest(route, i)).ToList();
        var forged = Forgeries(route, bases);
        var queuedBefore = await server.QueuedEventsAsync();
        var eventsBefore = await SimulatorEventsAsync();

        // Act
        var answers = new System.Collections.Concurrent.ConcurrentBag<string>();
        await Parallel.ForEachAsync(forged, new ParallelOptions { MaxDegreeOfParallelism = 6 }, async (request, _) =>
        {
            using var response = await SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            var refused = response.StatusCode == HttpStatusCode.Forbidden && body.Contains("\"twilio-signature-invalid\"", StringComparison.Ordinal);
            // A path that no longer names a route never reaches a webhook: 404 is as good as 403 there.
            var unrouted = request.Name.Contains(" path ", StringComparison.Ordinal) && response.StatusCode == HttpStatusCode.NotFound && body.Contains("\"route-not-found\"", StringComparison.Ordinal);
            if (!refused && !unrouted)
            {
                answers.Add($"{request.Name}: {(int)response.StatusCode} {body[..Math.Min(body.Length, 200)]}");
            }
        });

        // Assert
        output.WriteLine($"Forged webhooks to {route}: {forged.Count} mutations sent, {answers.Count} not refused.");
        Assert.True(forged.Count >= 1000, $"Only {forged.Count} mutations of {route}.");
        var queued = await server.QueuedEventsAsync() - queuedBefore;
        var simulated = await SimulatorEventsAsync() - eventsBefore;
        Assert.True(answers.IsEmpty && queued == 0 && simulated == 0,
            $"{answers.Count} of {forged.Count} forged requests to {route} were not refused; {queued} call events were queued and " +
            $"{simulated} simulator events logged:\n{string.Join("\n", answers.Order().Take(100))}");

        // The same requests unmutated pass the signature check, and the status callbacks queue their events.
        var queues = route is "/api/twilio/status" or "/api/twilio/recording-status";
        foreach (var valid in bases)
        {
            using var response = await SendAsync(valid);
            var accepted = queues || route == "/api/twilio/voice" ? response.IsSuccessStatusCode : response.StatusCode != HttpStatusCode.Forbidden;
            Assert.True(accepted, $"The correctly signed request to {route} was refused: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }

        Assert.Equal(queuedBefore + (queues ? Bases : 0), await server.QueuedEventsAsync());
    }

    /// <summary>Every forgery of <paramref name="route"/>: each base request mutated, and each base's signature replayed with another's body.</summary>
    private List<Webhook> Forgeries(string route, List<Webhook>? bases = null)
    {
        bases ??= Enumerable.Range(0, Bases).Select(i => BaseRequest(route, i)).ToList();
        var forged = bases.SelectMany((b, i) => Mutations(b, bases[(i + 1) % bases.Count], route)).ToList();
        forged.AddRange(bases.SelectMany(a => bases.Where(b => b != a).Select(b => a with { Form = b.Form, Name = "replayed signature, another body" })));
        return forged;
    }

    /// <summary>A webhook request: where it goes, its form, and the X-Twilio-Signature values it carries (none when empty).</summary>
    private sealed record Webhook(string Name, string Path, IReadOnlyList<KeyValuePair<string, string>> Form, IReadOnlyList<string> Signatures)
    {
        public string Canonical => $"{Path}\n{string.Join('&', Form.Select(p => p.Key + "=" + p.Value))}\n{string.Join('|', Signatures)}";
    }

    private Webhook BaseRequest(string route, int i)
    {
        var callSid = $"CA{i:D2}" + Guid.NewGuid().ToString("N")[..30];
        var now = TimeStamp(DateTimeOffset.UtcNow.AddSeconds(-i));
        var (path, form) = route switch
        {
            "/api/twilio/voice" => ($"{route}?intent=sec{i}", new Dictionary<string, string>
            {
                ["AccountSid"] = server.Twilio.AccountSid, ["ApiVersion"] = "2010-04-01", ["ApplicationSid"] = server.Twilio.TwimlAppSid,
                ["CallSid"] = callSid, ["CallStatus"] = "ringing", ["Direction"] = "inbound", ["From"] = $"client:sec_rep_{i}",
                ["Caller"] = $"client:sec_rep_{i}", ["To"] = "+1201555010" + (i % 10), ["whoId"] = $"003sec{i}",
            }),
            "/api/twilio/recording-status" => ($"{route}?orgId=sec-org-{i}&userId=sec-rep&method=computer&agentCallSid={callSid}", new Dictionary<string, string>
            {
                ["AccountSid"] = server.Twilio.AccountSid, ["CallSid"] = callSid, ["RecordingSid"] = "RE" + callSid[2..],
                ["RecordingUrl"] = $"https://api.twilio.com/2010-04-01/Accounts/{server.Twilio.AccountSid}/Recordings/RE{callSid[2..]}",
                ["RecordingStatus"] = "completed", ["RecordingDuration"] = (10 + i).ToString(CultureInfo.InvariantCulture),
                ["RecordingChannels"] = "1", ["RecordingSource"] = "DialVerb", ["RecordingStartTime"] = now, ["ErrorCode"] = "0",
            }),
            "/api/twilio/status" => ($"{route}?orgId=sec-org-{i}&userId=sec-rep&method=computer", new Dictionary<string, string>
            {
                ["AccountSid"] = server.Twilio.AccountSid, ["CallSid"] = callSid, ["ParentCallSid"] = "CA" + new string('9', 32),
                ["CallStatus"] = "completed", ["CallDuration"] = (30 + i).ToString(CultureInfo.InvariantCulture),
                ["SequenceNumber"] = i.ToString(CultureInfo.InvariantCulture), ["Timestamp"] = now, ["Direction"] = "outbound-dial",
                ["To"] = "+12015550100", ["From"] = "+15005550006", ["CallbackSource"] = "call-progress-events", ["ApiVersion"] = "2010-04-01",
            }),
            // A webhook added later: Twilio's common call parameters, so its signature check is exercised all the same.
            _ => ($"{route}?orgId=sec-org-{i}&userId=sec-rep&verificationId=v{i}", new Dictionary<string, string>
            {
                ["AccountSid"] = server.Twilio.AccountSid, ["ApiVersion"] = "2010-04-01", ["CallSid"] = callSid, ["CallStatus"] = "in-progress",
                ["Direction"] = "outbound-api", ["From"] = "+15005550006", ["To"] = "+12015550100", ["Digits"] = "12345" + i,
            }),
        };
        var pairs = form.ToList();
        return new Webhook("unmutated", path, pairs, [Sign(server.Twilio.PublicBaseUrl + path, pairs)]);
    }

    private IEnumerable<Webhook> Mutations(Webhook valid, Webhook other, string route)
    {
        var signature = valid.Signatures[0];
        var mutations = new List<Webhook>();
        void Add(string name, string? path = null, IEnumerable<KeyValuePair<string, string>>? form = null, IReadOnlyList<string>? signatures = null) =>
            mutations.Add(new Webhook(name, path ?? valid.Path, (form ?? valid.Form).ToList(), signatures ?? valid.Signatures));

        // Each parameter changed, removed, duplicated or renamed; the signature stays the one over the original.
        foreach (var (key, value) in valid.Form)
        {
            IEnumerable<KeyValuePair<string, string>> With(string newValue) => valid.Form.Select(p => p.Key == key ? new(key, newValue) : p);
            foreach (var (name, changed) in new[]
            {
                ("appended", value + "0"), ("emptied", ""), ("space before", " " + value), ("space after", value + " "),
                ("upper-cased", value.ToUpperInvariant()), ("lower-cased", value.ToLowerInvariant()), ("last character dropped", value.Length > 0 ? value[..^1] : "x"),
                ("homoglyph", value.Replace('a', '\u0430').Replace('C', '\u0421')), ("another request's value", other.Form.FirstOrDefault(p => p.Key == key).Value ?? "x"),
                ("NUL appended", value + "\0"), ("newline appended", value + "\n"),
            })
            {
                Add($"{key} {name}", form: With(changed));
            }

            Add($"{key} removed", form: valid.Form.Where(p => p.Key != key));
            Add($"{key} duplicated", form: valid.Form.Append(new(key, value)));
            Add($"{key} duplicated with another value", form: valid.Form.Append(new(key, value + "1")));
            Add($"{key} renamed to lower case", form: valid.Form.Select(p => p.Key == key ? new(key.ToLowerInvariant() == key ? key.ToUpperInvariant() : key.ToLowerInvariant(), value) : p));
        }

        foreach (var extra in new[] { "To", "Digits", "orgId", "userId", "whoId", "ParentCallSid", "CallStatus", "intent", "Price", "X-Forwarded-Host", "AccountSid2", "callsid", "From ", " To" })
        {
            Add($"parameter {extra} added", form: valid.Form.Append(new(extra, "+19005550199")));
            Add($"parameter {extra} added empty", form: valid.Form.Append(new(extra, "")));
        }

        // The URL: query, path, scheme, host and port.
        var split = valid.Path.IndexOf('?');
        var (path, query) = split < 0 ? (valid.Path, "") : (valid.Path[..split], valid.Path[(split + 1)..]);
        var pairs = query.Split('&', StringSplitOptions.RemoveEmptyEntries);
        for (var i = 0; i < pairs.Length; i++)
        {
            var index = i;
            string Query(Func<int, string, string?> change) => path + "?" + string.Join('&', pairs.Select((p, j) => j == index ? change(j, p) : p).Where(p => p is not null));
            Add($"query {pairs[i]} changed", path: Query((_, p) => p + "x"));
            Add($"query {pairs[i]} removed", path: Query((_, _) => null));
            Add($"query {pairs[i]} duplicated", path: valid.Path + "&" + pairs[i]);
            Add($"query {pairs[i]} key upper-cased", path: Query((_, p) => p[..p.IndexOf('=')].ToUpperInvariant() + p[p.IndexOf('=')..]));
        }

        Add("query reordered", path: path + "?" + string.Join('&', pairs.Reverse()));
        Add("query parameter added", path: valid.Path + (pairs.Length > 0 ? "&" : "?") + "orgId=another-org");
        Add("query removed", path: path);
        Add("trailing ampersand", path: valid.Path + "&");
        Add("path upper-cased", path: path.Replace("/twilio/", "/Twilio/") + (query.Length > 0 ? "?" + query : ""));
        Add("path with trailing slash", path: path + "/" + (query.Length > 0 ? "?" + query : ""));
        Add("path with double slash", path: path.Replace("/api/", "/api//") + (query.Length > 0 ? "?" + query : ""));
        foreach (var otherRoute in new[] { "/api/twilio/voice", "/api/twilio/status", "/api/twilio/recording-status" }.Where(r => r != route))
        {
            Add($"sent to {otherRoute}", path: otherRoute + (query.Length > 0 ? "?" + query : ""));
        }

        var baseUrl = new Uri(server.Twilio.PublicBaseUrl);
        foreach (var (name, signedBase) in new[]
        {
            ("https scheme", $"https://{baseUrl.Authority}"), ("another host", $"{baseUrl.Scheme}://attacker.example:{baseUrl.Port}"),
            ("another port", $"{baseUrl.Scheme}://{baseUrl.Host}:{baseUrl.Port + 1}"), ("host as IP", $"{baseUrl.Scheme}://127.0.0.1:{baseUrl.Port}"),
            ("user info", $"{baseUrl.Scheme}://twilio@{baseUrl.Authority}"), ("a path prefix", $"{baseUrl.Scheme}://{baseUrl.Authority}/prefix"),
        })
        {
            Add($"signed for {name}", signatures: [Sign(signedBase + valid.Path, valid.Form)]);
        }

        Add("signed without the query", signatures: [Sign(server.Twilio.PublicBaseUrl + path, valid.Form)]);
        Add("signed without the form", signatures: [Sign(server.Twilio.PublicBaseUrl + valid.Path, [])]);

        // The header itself.
        var bytes = Convert.FromBase64String(signature);
        var flipped = (byte[])bytes.Clone();
        flipped[0] ^= 1;
        foreach (var (name, values) in new (string, string[])[]
        {
            ("header missing", []), ("header empty", [""]), ("header blank", ["   "]), ("header duplicated", [signature, signature]),
            ("header duplicated with a forgery", ["AAAA", signature]), ("one bit flipped", [Convert.ToBase64String(flipped)]),
            ("signature lower-cased", [signature.ToLowerInvariant()]), ("signature truncated", [signature[..^2]]), ("padding removed", [signature.TrimEnd('=')]),
            ("character appended", [signature + "A"]), ("URL-safe base64", [signature.Replace('+', '-').Replace('/', '_')]),
            ("hex instead of base64", [Convert.ToHexString(bytes)]), ("signed with another auth token", [new WebhookSigner("not-the-auth-token").Sign(server.Twilio.PublicBaseUrl + valid.Path, valid.Form)]),
            ("HMAC-SHA256", [Convert.ToBase64String(System.Security.Cryptography.HMACSHA256.HashData(Encoding.UTF8.GetBytes(server.Twilio.AuthToken), Encoding.UTF8.GetBytes(server.Twilio.PublicBaseUrl + valid.Path)))]),
            ("another request's signature", [other.Signatures[0]]), ("comma-joined", [signature + "," + signature]),
        })
        {
            Add(name, signatures: values);
        }

        // A mutation that happens to leave the request as it was is no forgery.
        return mutations.Where(m => m.Canonical != valid.Canonical).Select(m => m with { Name = $"{route} #{valid.Form.First(p => p.Key == "CallSid").Value[2..4]} {m.Name}" });
    }

    private string Sign(string url, IEnumerable<KeyValuePair<string, string>> form) => new WebhookSigner(server.Twilio.AuthToken).Sign(url, form);

    private async Task<HttpResponseMessage> SendAsync(Webhook webhook)
    {
        using var client = server.CreateClient();
        var body = string.Join('&', webhook.Form.Select(p => Uri.EscapeDataString(p.Key) + "=" + Uri.EscapeDataString(p.Value)));
        using var request = new HttpRequestMessage(HttpMethod.Post, webhook.Path) { Content = new StringContent(body, Encoding.UTF8, "application/x-www-form-urlencoded") };
        foreach (var value in webhook.Signatures)
        {
            request.Headers.TryAddWithoutValidation(WebhookSigner.HeaderName, value);
        }

        return await client.SendAsync(request);
    }

    private async Task<int> SimulatorEventsAsync()
    {
        using var client = server.CreateClient();
        var events = await (await client.GetAsync("/sim/events")).JsonAsync(HttpStatusCode.OK);
        return events.ValueKind == JsonValueKind.Array ? events.GetArrayLength() : events.Items().Count;
    }

    private static string TimeStamp(DateTimeOffset at) => at.UtcDateTime.ToString("ddd, dd MMM yyyy HH:mm:ss +0000", CultureInfo.InvariantCulture);
}
