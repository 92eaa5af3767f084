using System.Globalization;
using System.Net.Sockets;

namespace Playbooks.DevServer.TwilioSimulator;

/// <summary>A request Twilio makes to us: where, how, with which form, on behalf of which call.</summary>
internal sealed record WebhookRequest(string LogKind, string Url, string Method, IReadOnlyList<KeyValuePair<string, string>> Form, string CallSid, string? ParentCallSid = null);

internal sealed record WebhookResponse(int? Status, string? Body, string? Error)
{
    public bool IsSuccess => Status is >= 200 and < 300;
}

/// <summary>
/// Sends webhooks as Twilio does: the URL fragment is dropped before sending and read as connection overrides
/// (<c>rc</c> retries, <c>rp</c> retry policy ct/rt/4xx/5xx/all, <c>rt</c> read and <c>tt</c> total timeouts in ms),
/// every request signed with X-Twilio-Signature. Without overrides: one retry on connect failure, 15 s in all.
/// </summary>
internal sealed class WebhookClient(HttpClient http, WebhookSigner signer, SimulatorEventLog log)
{
    private const int MaxBodyLogged = 4096;

    public async Task<WebhookResponse> SendAsync(WebhookRequest request, CancellationToken cancellationToken)
    {
        var (url, overrides) = SplitFragment(request.Url);
        var retries = Math.Clamp(overrides.Int("rc") ?? 1, 0, 5);
        var policy = (overrides.Text("rp") ?? "ct").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet();
        var readTimeout = TimeSpan.FromMilliseconds(Math.Clamp(overrides.Int("rt") ?? 15_000, 100, 15_000));
        using var total = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        total.CancelAfter(TimeSpan.FromMilliseconds(Math.Clamp(overrides.Int("tt") ?? 15_000, 100, 15_000)));

        WebhookResponse response = new(null, null, "not sent");
        for (var attempt = 1; attempt <= retries + 1 && !total.IsCancellationRequested; attempt++)
        {
            var (result, failureKind) = await AttemptAsync(url, request, readTimeout, total.Token);
            response = result;
            log.Add(new SimulatorEvent
            {
                Kind = request.LogKind,
                CallSid = request.CallSid,
                ParentCallSid = request.ParentCallSid,
                Url = url,
                Method = request.Method,
                Params = ToDictionary(request.Form),
                Status = result.Status,
                Attempt = attempt,
                Body = result.Body,
                Detail = result.Error,
            });
            if (result.IsSuccess || !(policy.Contains("all") || policy.Contains(failureKind)))
            {
                break;
            }
        }

        return response;
    }

    /// <summary>
    /// Fetches the audio of a &lt;Play&gt; as Twilio's media fetch does (a GET, once), logged as <c>media-fetched</c> with our
    /// status. The bytes, or null when the fetch failed.
    /// </summary>
    public async Task<byte[]?> FetchMediaAsync(string url, string callSid, string? parentCallSid, CancellationToken cancellationToken)
    {
        int? status = null;
        string? error = null;
        byte[]? bytes = null;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(15));
            using var message = new HttpRequestMessage(HttpMethod.Get, url);
            message.Headers.UserAgent.ParseAdd("TwilioProxy/1.1");
            using var response = await http.SendAsync(message, timeout.Token);
            status = (int)response.StatusCode;
            bytes = response.IsSuccessStatusCode ? await response.Content.ReadAsByteArrayAsync(timeout.Token) : null;
            error = bytes is null ? null : $"{response.Content.Headers.ContentType?.MediaType} {bytes.Length} bytes";
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            error = $"fetch failed: {ex.Message}";
        }

        log.Add(new SimulatorEvent { Kind = "media-fetched", CallSid = callSid, ParentCallSid = parentCallSid, Url = url, Method = "GET", Status = status, Detail = error });
        return bytes;
    }

    internal static (string Url, Overrides Overrides) SplitFragment(string url)
    {
        var hash = url.IndexOf('#', StringComparison.Ordinal);
        return hash < 0 ? (url, new Overrides([])) : (url[..hash], Overrides.Parse(url[(hash + 1)..]));
    }

    private async Task<(WebhookResponse Response, string FailureKind)> AttemptAsync(
        string url, WebhookRequest request, TimeSpan readTimeout, CancellationToken cancellationToken)
    {
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        attempt.CancelAfter(readTimeout);
        var isGet = string.Equals(request.Method, "GET", StringComparison.OrdinalIgnoreCase);
        var target = isGet ? WithQuery(url, request.Form) : url;
        using var message = new HttpRequestMessage(isGet ? HttpMethod.Get : HttpMethod.Post, target);
        message.Headers.TryAddWithoutValidation(WebhookSigner.HeaderName, signer.Sign(target, isGet ? [] : request.Form));
        message.Headers.TryAddWithoutValidation("I-Twilio-Idempotency-Token", Guid.NewGuid().ToString());
        message.Headers.UserAgent.ParseAdd("TwilioProxy/1.1");
        if (!isGet)
        {
            message.Content = new FormUrlEncodedContent(request.Form);
        }

        try
        {
            using var response = await http.SendAsync(message, attempt.Token);
            var body = await response.Content.ReadAsStringAsync(attempt.Token);
            var status = (int)response.StatusCode;
            return (new WebhookResponse(status, Truncate(body), null), status >= 500 ? "5xx" : status >= 400 ? "4xx" : "");
        }
        catch (HttpRequestException ex) when (ex.InnerException is SocketException || ex.HttpRequestError == HttpRequestError.ConnectionError)
        {
            return (new WebhookResponse(null, null, $"connect failed: {ex.Message}"), "ct");
        }
        catch (HttpRequestException ex)
        {
            return (new WebhookResponse(null, null, $"request failed: {ex.Message}"), "rt");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (new WebhookResponse(null, null, $"no answer within {readTimeout.TotalMilliseconds:0} ms"), "rt");
        }
        catch (OperationCanceledException)
        {
            return (new WebhookResponse(null, null, "timed out (total time limit)"), "tt");
        }
    }

    private static string WithQuery(string url, IReadOnlyList<KeyValuePair<string, string>> form) =>
        form.Count == 0
            ? url
            : url + (url.Contains('?', StringComparison.Ordinal) ? "&" : "?")
                + string.Join("&", form.Select(p => Uri.EscapeDataString(p.Key) + "=" + Uri.EscapeDataString(p.Value)));

    private static IReadOnlyDictionary<string, string> ToDictionary(IReadOnlyList<KeyValuePair<string, string>> form)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in form)
        {
            result[name] = result.TryGetValue(name, out var earlier) ? earlier + "," + value : value;
        }

        return result;
    }

    private static string? Truncate(string? body) =>
        body is { Length: > MaxBodyLogged } ? body[..MaxBodyLogged] + "…" : body;

    /// <summary>The connection overrides of a webhook URL's fragment (ct, rt, tt, rc, rp, e).</summary>
    internal sealed class Overrides(Dictionary<string, string> values)
    {
        public static Overrides Parse(string fragment) =>
            new(fragment.Split('&', StringSplitOptions.RemoveEmptyEntries)
                .Select(p => p.Split('=', 2))
                .Where(p => p.Length == 2)
                .GroupBy(p => p[0], StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => Uri.UnescapeDataString(g.Last()[1]), StringComparer.Ordinal));

        public string? Text(string name) => values.GetValueOrDefault(name);

        public int? Int(string name) =>
            int.TryParse(Text(name), NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;
    }
}
