using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Playbooks.Calling.Twilio;

namespace Playbooks.DevServer.TwilioSimulator;

/// <summary>A phone-based call as the REST API creates it (Calls.json's form, already checked).</summary>
internal sealed record RestCallRequest(
    string To, string From, string? Url, string Method, string? Twiml, StatusSubscription? StatusCallback, int TimeoutSeconds);

internal enum DigitsOutcome
{
    Sent,
    NotFound,
    NotInProgress,
    Invalid,
}

/// <summary>
/// The simulated Twilio: calls in flight, keyed by SID. It starts browser (device) and REST calls, runs each on its
/// own task through <see cref="CallFlow"/>, and takes hang-ups and digits from outside.
/// </summary>
internal sealed partial class SimulatedTwilio(
    TwilioOptions twilio,
    SimulatorOptions options,
    TimeProvider time,
    SimulatorEventLog log,
    WebhookClient webhooks,
    CallbackDelivery callbacks,
    ChaosSwitch chaos,
    ILogger<SimulatedTwilio> logger,
    CancellationToken stopping)
{
    private const int MaxCallsKept = 10_000;

    private readonly ConcurrentDictionary<string, SimulatedCall> _calls = new(StringComparer.Ordinal);

    private readonly ConcurrentDictionary<string, SimulatedRecording> _recordings = new(StringComparer.Ordinal);

    public TwilioOptions Twilio => twilio;

    public SimulatorOptions Options => options;

    public SimulatorEventLog Log => log;

    public ChaosSwitch Chaos => chaos;

    public DateTimeOffset Now => time.GetUtcNow();

    public string VoiceUrl => string.IsNullOrWhiteSpace(options.VoiceUrl)
        ? PublicUrl.Combine(twilio.PublicBaseUrl, "/api/twilio/voice")
        : options.VoiceUrl;

    /// <summary>The preflight TwiML app's voice URL (the network test).</summary>
    public string PreflightVoiceUrl => PublicUrl.Combine(twilio.PublicBaseUrl, "/api/twilio/preflight");

    /// <summary>The voice URL of the TwiML app a device token was granted.</summary>
    public string VoiceUrlFor(string? applicationSid) =>
        !string.IsNullOrEmpty(twilio.PreflightTwimlAppSid) && applicationSid == twilio.PreflightTwimlAppSid ? PreflightVoiceUrl : VoiceUrl;

    /// <summary>Where the REST emulation lives; recording URLs point here.</summary>
    public string RestBaseUrl => string.IsNullOrWhiteSpace(twilio.RestApiBaseUrl)
        ? PublicUrl.Combine(twilio.PublicBaseUrl, "/sim")
        : twilio.RestApiBaseUrl.TrimEnd('/');

    /// <summary>The browser Device's connect: a parent call from client:identity, whose TwiML comes from the voice URL.</summary>
    public SimulatedCall ConnectDevice(DeviceIdentity device, IReadOnlyDictionary<string, string> parameters)
    {
        var call = new SimulatedCall(
            TwilioFormats.NewSid("CA"), twilio.AccountSid, "client:" + device.Identity, parameters.GetValueOrDefault("To") ?? "", "inbound", NewClock());
        Register(call, $"Device {device.Identity} connected");
        Run(call, flow => flow.RunDeviceCallAsync(call, parameters, device.ApplicationSid ?? twilio.TwimlAppSid));
        return call;
    }

    /// <summary>
    /// A REST-created call (phone-based agent leg): rings the number, and when answered fetches its TwiML.
    /// <paramref name="describe"/> sees the call still queued, before it starts moving.
    /// </summary>
    public T CreateCall<T>(RestCallRequest request, Func<SimulatedCall, T> describe)
    {
        var call = new SimulatedCall(TwilioFormats.NewSid("CA"), twilio.AccountSid, request.From, request.To, "outbound-api", NewClock())
        {
            StatusCallback = request.StatusCallback,
            VoiceUrl = request.Url,
            VoiceMethod = request.Method,
            InlineTwiml = request.Twiml,
            RingTimeoutSeconds = request.TimeoutSeconds,
        };
        Register(call, "Created through the REST API");
        var description = describe(call);
        Run(call, flow => flow.RunApiCallAsync(call));
        return description;
    }

    public SimulatedCall? Find(string callSid) => _calls.GetValueOrDefault(callSid);

    /// <summary>Keeps a finished recording, whose media the REST emulation serves.</summary>
    public void AddRecording(SimulatedRecording recording)
    {
        _recordings[recording.Sid] = recording;
        if (_recordings.Count > MaxCallsKept)
        {
            foreach (var old in _recordings.Keys.Take(_recordings.Count - MaxCallsKept))
            {
                _recordings.TryRemove(old, out _);
            }
        }
    }

    public SimulatedRecording? FindRecording(string recordingSid) => _recordings.GetValueOrDefault(recordingSid);

    /// <summary>Ends every call in flight, when the server stops.</summary>
    public void HangUpAll()
    {
        foreach (var call in _calls.Values)
        {
            call.RequestHangup();
        }
    }

    /// <summary>Registers a child leg placed by a &lt;Dial&gt;.</summary>
    public void Register(SimulatedCall call, string detail)
    {
        _calls[call.Sid] = call;
        log.Add(new SimulatorEvent
        {
            Kind = "call-created", CallSid = call.Sid, ParentCallSid = call.ParentSid, Detail = detail,
            Params = new Dictionary<string, string> { ["From"] = call.From, ["To"] = call.To, ["Direction"] = call.Direction },
        });
        if (_calls.Count > MaxCallsKept)
        {
            foreach (var old in _calls.Values.Where(c => c.IsEnded).OrderBy(c => c.EndedAt).Take(_calls.Count - MaxCallsKept))
            {
                _calls.TryRemove(old.Sid, out _);
            }
        }
    }

    /// <summary>Asks a leg to hang up; the call's flow ends it (and its child) with the right status and durations.</summary>
    public async Task<bool> HangupAsync(SimulatedCall call, string who, TimeSpan waitForEnd)
    {
        if (call.IsEnded)
        {
            return false;
        }

        log.Add(new SimulatorEvent { Kind = "hangup", CallSid = call.Sid, ParentCallSid = call.ParentSid, Detail = who });
        call.Clock.Sync();
        call.RequestHangup();
        await Task.WhenAny(call.Ended, Task.Delay(waitForEnd, time, stopping));
        return true;
    }

    public DigitsOutcome SendDigits(string callSid, string? digits)
    {
        if (Find(callSid) is not { } call)
        {
            return DigitsOutcome.NotFound;
        }

        if (string.IsNullOrEmpty(digits) || digits.Length > 64 || !DtmfDigits().IsMatch(digits))
        {
            return DigitsOutcome.Invalid;
        }

        lock (call.Gate)
        {
            if (call.Status != CallStatuses.InProgress)
            {
                return DigitsOutcome.NotInProgress;
            }

            call.AppendDigits(digits);
        }

        log.Add(new SimulatorEvent
        {
            Kind = "digits", CallSid = call.Sid, ParentCallSid = call.ParentSid, Detail = digits,
            Params = call.ChildSid is { } child ? new Dictionary<string, string> { ["ChildCallSid"] = child } : null,
        });
        return DigitsOutcome.Sent;
    }

    /// <summary>Callbacks of the call and its child leg still on their way.</summary>
    public int CallbacksPending(SimulatedCall call) =>
        callbacks.Pending(call.Sid) + (call.ChildSid is { } child ? callbacks.Pending(child) : 0);

    private CallClock NewClock() => new(time, options.TimeScale);

    private void Run(SimulatedCall call, Func<CallFlow, Task> body)
    {
        var flow = new CallFlow(this, options, log, webhooks, callbacks, stopping);
        _ = Task.Run(async () =>
        {
            try
            {
                await body(flow);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                // The server is stopping.
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "Simulated call {CallSid} failed", call.Sid);
                call.Error ??= ex.Message;
                flow.End(call, CallStatuses.Failed);
            }
        });
    }

    [GeneratedRegex("^[0-9*#wW]+$")]
    private static partial Regex DtmfDigits();
}
