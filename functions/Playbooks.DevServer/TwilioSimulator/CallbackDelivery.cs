using System.Collections.Concurrent;

namespace Playbooks.DevServer.TwilioSimulator;

/// <summary>The chaos settings in force; PUT /sim/chaos changes them while the server runs.</summary>
internal sealed class ChaosSwitch(ChaosOptions initial)
{
    private volatile ChaosOptions _current = initial;

    public ChaosOptions Current
    {
        get => _current;
        set => _current = value;
    }
}

/// <summary>
/// Delivers status and recording callbacks off the call's own timeline, as Twilio does. Normally one call's
/// callbacks go out one at a time in order; in chaos mode each waits a random delay (so they cross) and some are
/// sent twice. Every callback is sent at least once either way.
/// </summary>
internal sealed class CallbackDelivery(WebhookClient client, ChaosSwitch chaos, CancellationToken stopping)
{
    private readonly ConcurrentDictionary<string, Task> _chains = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _pending = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <summary>Callbacks of <paramref name="callSid"/> not yet answered (or given up on).</summary>
    public int Pending(string callSid) => _pending.GetValueOrDefault(callSid);

    public void Enqueue(string callSid, WebhookRequest request)
    {
        var settings = chaos.Current;
        if (!settings.Enabled)
        {
            Track(callSid, 1);
            lock (_gate)
            {
                var previous = _chains.GetValueOrDefault(callSid) ?? Task.CompletedTask;
                Task next = null!;
                next = previous.ContinueWith(
                    async _ =>
                    {
                        await SendAsync(callSid, request, 0);
                        _chains.TryRemove(new KeyValuePair<string, Task>(callSid, next));
                    },
                    CancellationToken.None,
                    TaskContinuationOptions.None,
                    TaskScheduler.Default).Unwrap();
                _chains[callSid] = next;
            }

            return;
        }

        var copies = Random.Shared.NextDouble() < settings.DuplicateRate ? 2 : 1;
        Track(callSid, copies);
        for (var i = 0; i < copies; i++)
        {
            _ = SendAsync(callSid, request, Random.Shared.Next(0, settings.MaxDelayMs + 1));
        }
    }

    private async Task SendAsync(string callSid, WebhookRequest request, int delayMs)
    {
        try
        {
            if (delayMs > 0)
            {
                await Task.Delay(delayMs, stopping);
            }

            await client.SendAsync(request, stopping);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // The server is stopping.
        }
        finally
        {
            Track(callSid, -1);
        }
    }

    private void Track(string callSid, int delta)
    {
        var now = _pending.AddOrUpdate(callSid, delta, (_, count) => count + delta);
        if (now <= 0)
        {
            _pending.TryRemove(new KeyValuePair<string, int>(callSid, now));
        }
    }
}
