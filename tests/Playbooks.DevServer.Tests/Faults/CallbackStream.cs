using System.Collections.Concurrent;
using System.Net;

namespace Playbooks.DevServer.Tests.Faults;

/// <summary>
/// A steady stream of signed status callbacks to one server URL, sent the way Twilio delivers them: each until our
/// webhook accepts it with 204, so one refused with 503 or lost to a dropped connection is sent again (our callback
/// URLs ask Twilio to retry). Records which events were accepted and every answer that was neither 204 nor a retry.
/// </summary>
internal sealed class CallbackStream : IAsyncDisposable
{
    private static readonly TimeSpan RetryPause = TimeSpan.FromMilliseconds(100);

    private readonly ConcurrentQueue<StatusEvent> _pending;
    private readonly ConcurrentDictionary<string, int> _accepted = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _unexpected = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _workers;
    private int _unavailable;
    private int _dropped;

    /// <param name="client">Makes a client of the server, one per sender.</param>
    /// <param name="publicBaseUrl">The server's Twilio:PublicBaseUrl, which the callbacks are signed for.</param>
    /// <param name="pause">Each sender's pause after a callback, which sets the stream's steady rate.</param>
    public CallbackStream(Func<HttpClient> client, string publicBaseUrl, IEnumerable<StatusEvent> events, int senders, TimeSpan pause)
    {
        _pending = new ConcurrentQueue<StatusEvent>(events);
        Total = _pending.Count;
        _workers = Task.WhenAll(Enumerable.Range(0, senders).Select(_ => Task.Run(() => SendAsync(client, publicBaseUrl, pause))));
    }

    public int Total { get; }

    public int AcceptedCount => _accepted.Count;

    /// <summary>The events our webhook answered 204 (some may have been sent more than once).</summary>
    public IReadOnlySet<string> Accepted => _accepted.Keys.ToHashSet(StringComparer.Ordinal);

    /// <summary>Deliveries refused with 503 problem+json, each sent again later.</summary>
    public int Unavailable => _unavailable;

    /// <summary>Deliveries whose connection failed (nothing listening, or reset mid-request), each sent again later.</summary>
    public int Dropped => _dropped;

    /// <summary>Answers other than 204 and a 503 problem+json, e.g. a 500: each one is a failure of the server.</summary>
    public IReadOnlyList<string> Unexpected => [.. _unexpected];

    /// <summary>Waits until every event has been accepted; throws with the count still pending otherwise.</summary>
    public async Task WaitUntilAllAcceptedAsync(TimeSpan timeout)
    {
        if (await Task.WhenAny(_workers, Task.Delay(timeout)) != _workers)
        {
            throw new TimeoutException($"{Total - AcceptedCount} of {Total} callbacks were still not accepted after {timeout}.");
        }

        await _workers;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _workers;
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    private async Task SendAsync(Func<HttpClient> makeClient, string publicBaseUrl, TimeSpan pause)
    {
        using var client = makeClient();
        while (_pending.TryDequeue(out var next))
        {
            _stop.Token.ThrowIfCancellationRequested();
            var done = false;
            try
            {
                using var response = await next.PostAsync(client, publicBaseUrl);
                if (response.StatusCode == HttpStatusCode.NoContent)
                {
                    _accepted.AddOrUpdate(next.Key, 1, (_, n) => n + 1);
                    done = true;
                }
                else if (response.StatusCode == HttpStatusCode.ServiceUnavailable
                    && response.Content.Headers.ContentType?.MediaType == "application/problem+json")
                {
                    Interlocked.Increment(ref _unavailable);
                }
                else
                {
                    _unexpected.Enqueue($"{(int)response.StatusCode} {response.Content.Headers.ContentType?.MediaType} for {next.Key}: {await response.Content.ReadAsStringAsync()}");
                    done = true;
                }
            }
            catch (HttpRequestException)
            {
                Interlocked.Increment(ref _dropped);
            }
            catch (TaskCanceledException) when (!_stop.IsCancellationRequested)
            {
                Interlocked.Increment(ref _dropped); // the request timed out
            }

            if (!done)
            {
                _pending.Enqueue(next);
                await Task.Delay(RetryPause, _stop.Token);
            }
            else
            {
                await Task.Delay(pause, _stop.Token);
            }
        }
    }
}
