namespace Playbooks.DevServer.TwilioSimulator;

/// <summary>
/// Runs one call from start to end the way Twilio does: rings the number, fetches and runs its TwiML, dials the
/// prospect, and reports each step to the leg's status callback (and the recording to the recording callback).
/// </summary>
internal sealed class CallFlow(
    SimulatedTwilio network, SimulatorOptions options, SimulatorEventLog log, WebhookClient webhooks, CallbackDelivery callbacks, CancellationToken stopping)
{
    /// <summary>Time from dialing to the far end's first ring, and before a busy or failed answer (simulated seconds).</summary>
    private const double SetupSeconds = 0.5;

    public async Task RunDeviceCallAsync(SimulatedCall call, IReadOnlyDictionary<string, string> parameters, string applicationSid)
    {
        SetStatus(call, CallStatuses.Ringing);
        List<KeyValuePair<string, string>> form =
        [
            new("AccountSid", call.AccountSid),
            new("ApplicationSid", applicationSid),
            new("CallSid", call.Sid),
            new("From", call.From),
            new("Caller", call.From),
            new("To", call.To),
            new("Called", call.To),
            new("Direction", call.Direction),
            new("CallStatus", CallStatuses.Ringing),
            new("ApiVersion", TwilioFormats.ApiVersion),
        ];
        var standard = form.Select(p => p.Key).ToHashSet(StringComparer.Ordinal);
        form.AddRange(parameters.Where(p => !standard.Contains(p.Key)));

        var voiceUrl = network.VoiceUrlFor(applicationSid);
        var verbs = await FetchTwimlAsync(call, voiceUrl, "POST", form);
        if (verbs is not null)
        {
            await ExecuteAsync(call, verbs, voiceUrl, 0);
        }

        Finish(call);
    }

    public async Task RunApiCallAsync(SimulatedCall call)
    {
        if (!await RingAsync(call, call.RingTimeoutSeconds, call.HangupRequested))
        {
            return;
        }

        IReadOnlyList<TwimlVerb>? verbs;
        if (call.InlineTwiml is { } twiml)
        {
            verbs = Parse(call, twiml);
        }
        else
        {
            verbs = await FetchTwimlAsync(call, call.VoiceUrl!, call.VoiceMethod,
            [
                new("AccountSid", call.AccountSid),
                new("CallSid", call.Sid),
                new("From", call.From),
                new("Caller", call.From),
                new("To", call.To),
                new("Called", call.To),
                new("Direction", call.Direction),
                new("CallStatus", CallStatuses.InProgress),
                new("ApiVersion", TwilioFormats.ApiVersion),
            ]);
        }

        if (verbs is not null)
        {
            await ExecuteAsync(call, verbs, call.VoiceUrl, 0);
        }

        Finish(call);
    }

    /// <summary>Moves a leg on and tells its status callback when that event was asked for. False once the leg has ended.</summary>
    public bool SetStatus(SimulatedCall call, string status)
    {
        lock (call.Gate)
        {
            if (call.IsEnded || call.Status == status)
            {
                return false;
            }

            var now = call.Clock.Now;
            call.Status = status;
            if (status == CallStatuses.InProgress)
            {
                call.AnsweredAt = now;
            }

            if (CallStatuses.IsTerminal(status))
            {
                call.EndedAt = now;
            }

            log.Add(new SimulatorEvent { Kind = "status-changed", CallSid = call.Sid, ParentCallSid = call.ParentSid, Detail = status });
            if (call.StatusCallback is { } subscription && subscription.Events.Contains(CallStatuses.EventFor(status)))
            {
                callbacks.Enqueue(call.Sid, new WebhookRequest("callback", subscription.Url, subscription.Method, StatusForm(call, status, now), call.Sid, call.ParentSid));
            }
        }

        if (CallStatuses.IsTerminal(status))
        {
            call.MarkEnded();
        }

        return true;
    }

    public void End(SimulatedCall call, string status) => SetStatus(call, status);

    /// <summary>A leg whose TwiML ran out (or who hung up) ends completed; one never answered that was hung up on is canceled.</summary>
    private void Finish(SimulatedCall call) =>
        End(call, call.AnsweredAt is null && call.HangupRequested.IsCancellationRequested ? CallStatuses.Canceled : CallStatuses.Completed);

    private List<KeyValuePair<string, string>> StatusForm(SimulatedCall call, string status, DateTimeOffset now)
    {
        List<KeyValuePair<string, string>> form =
        [
            new("AccountSid", call.AccountSid),
            new("CallSid", call.Sid),
            new("From", call.From),
            new("To", call.To),
            new("Called", call.To),
            new("Caller", call.From),
            new("Direction", call.Direction),
            new("CallStatus", status),
            new("ApiVersion", TwilioFormats.ApiVersion),
            new("SequenceNumber", TwilioFormats.Seconds(call.NextSequenceNumber())),
            new("Timestamp", TwilioFormats.Rfc2822(now)),
            new("CallbackSource", "call-progress-events"),
        ];
        if (call.ParentSid is { } parent)
        {
            form.Add(new("ParentCallSid", parent));
        }

        if (CallStatuses.IsTerminal(status))
        {
            form.Add(new("CallDuration", TwilioFormats.Seconds(call.DurationSeconds ?? 0)));
        }

        return form;
    }

    /// <summary>Dials <paramref name="call"/>'s number and plays out what that phone does; true when it answered.</summary>
    private async Task<bool> RingAsync(SimulatedCall call, int timeoutSeconds, CancellationToken hangup)
    {
        var behaviour = PhoneBehaviour.For(call.To);
        SetStatus(call, CallStatuses.Initiated);
        if (!await call.Clock.WaitAsync(SetupSeconds, hangup))
        {
            End(call, CallStatuses.Canceled);
            return false;
        }

        switch (behaviour.Outcome)
        {
            case PhoneOutcome.Fails:
                End(call, CallStatuses.Failed);
                return false;
            case PhoneOutcome.Busy:
                End(call, CallStatuses.Busy);
                return false;
        }

        SetStatus(call, CallStatuses.Ringing);
        var answers = behaviour.Outcome == PhoneOutcome.Answers && options.RingSeconds < timeoutSeconds;
        if (!await call.Clock.WaitAsync(answers ? options.RingSeconds : timeoutSeconds, hangup))
        {
            End(call, CallStatuses.Canceled);
            return false;
        }

        if (!answers)
        {
            End(call, CallStatuses.NoAnswer);
            return false;
        }

        if (!SetStatus(call, CallStatuses.InProgress))
        {
            return false;
        }

        if (behaviour.HangsUpAfterSeconds is { } seconds)
        {
            call.HangsUpAt = call.AnsweredAt!.Value.AddSeconds(seconds);
        }

        return true;
    }

    /// <summary>How many TwiML documents (a &lt;Gather&gt; action's answer replaces the one that asked) one call may run.</summary>
    private const int MaxDocuments = 20;

    /// <summary>Runs the document an action URL answered with (it replaces the one that asked), within <see cref="MaxDocuments"/>.</summary>
    private async Task FollowAsync(SimulatedCall call, (IReadOnlyList<TwimlVerb> Verbs, string Url) next, int depth)
    {
        if (depth + 1 >= MaxDocuments)
        {
            Note(call, "twiml-failed", $"More than {MaxDocuments} TwiML documents in one call; hanging up.");
            return;
        }

        await ExecuteAsync(call, next.Verbs, next.Url, depth + 1);
    }

    private async Task ExecuteAsync(SimulatedCall call, IReadOnlyList<TwimlVerb> verbs, string? documentUrl, int depth)
    {
        foreach (var verb in verbs)
        {
            if (call.IsEnded || call.HangupRequested.IsCancellationRequested)
            {
                return;
            }

            switch (verb)
            {
                case SayVerb say:
                    Answer(call);
                    Note(call, "say", say.Text);
                    await call.Clock.WaitAsync(SayingSeconds(say), call.HangupRequested);
                    break;
                case GatherVerb gather:
                    Answer(call);
                    if (await GatherAsync(call, gather, documentUrl) is { } next)
                    {
                        await FollowAsync(call, next, depth);
                        return;
                    }

                    break;
                case PauseVerb pause:
                    Answer(call);
                    await call.Clock.WaitAsync(pause.Seconds, call.HangupRequested);
                    break;
                case HangupVerb:
                    Note(call, "hangup", "<Hangup> in the TwiML");
                    return;
                case RejectVerb reject:
                    Note(call, "reject", reject.Reason);
                    if (call.AnsweredAt is null)
                    {
                        End(call, reject.Reason == "busy" ? CallStatuses.Busy : CallStatuses.NoAnswer);
                    }

                    return;
                case RecordVerb record:
                    Answer(call);
                    if (await RecordAsync(call, record, documentUrl) is { } afterRecord)
                    {
                        await FollowAsync(call, afterRecord, depth);
                        return;
                    }

                    break;
                case PlayVerb play:
                    Answer(call);
                    await PlayAsync(call, play);
                    break;
                case DialVerb dial:
                    if (!await DialAsync(call, dial))
                    {
                        return;
                    }

                    break;
                default:
                    Note(call, "verb-ignored", $"<{verb.Name}> is not simulated; skipped.");
                    break;
            }
        }
    }

    /// <summary>How long a &lt;Play&gt; lasts: the simulator does not fetch the audio.</summary>
    private const double PlayingSeconds = 3;

    private static double SayingSeconds(SayVerb say) =>
        Math.Clamp(say.Text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length / 2.5, 1, 30);

    /// <summary>
    /// Listens for keys while the nested &lt;Say&gt;s play and for the timeout after each key; posts the digits to the
    /// action URL and returns its TwiML. Null (go on with the next verb) when no digits came or the call ended.
    /// </summary>
    private async Task<(IReadOnlyList<TwimlVerb> Verbs, string Url)?> GatherAsync(SimulatedCall call, GatherVerb gather, string? documentUrl)
    {
        call.ClearKeypad();
        Note(call, "gather", $"numDigits={gather.NumDigits?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "any"} timeout={gather.TimeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)}s finishOnKey={gather.FinishOnKey}");
        var playing = 0.0;
        foreach (var nested in gather.Nested)
        {
            switch (nested)
            {
                case SayVerb say:
                    Note(call, "say", say.Text);
                    playing += SayingSeconds(say);
                    break;
                case PauseVerb pause:
                    playing += pause.Seconds;
                    break;
                default:
                    Note(call, "verb-ignored", $"<Gather><{nested.Name}> is not simulated; skipped.");
                    break;
            }
        }

        if (gather.NumDigits == 1 && PhoneBehaviour.For(call.To).PressesOneWhenAsked && !await AutoPressAsync(call))
        {
            return null;
        }

        var digits = new System.Text.StringBuilder();
        string? finishedOnKey = null;
        var wait = playing + gather.TimeoutSeconds;
        while (await NextKeyAsync(call, wait) is { } key)
        {
            if (gather.FinishOnKey.Length == 1 && key == gather.FinishOnKey[0])
            {
                finishedOnKey = gather.FinishOnKey;
                break;
            }

            digits.Append(key);
            if (digits.Length >= gather.NumDigits)
            {
                break;
            }

            wait = gather.TimeoutSeconds;
        }

        if (call.IsEnded || call.HangupRequested.IsCancellationRequested)
        {
            return null;
        }

        if (digits.Length == 0)
        {
            Note(call, "gather-timeout", "No digits before the timeout; the TwiML goes on with the next verb.");
            return null;
        }

        var url = ResolveAction(documentUrl, gather.Action);
        if (url is null)
        {
            Note(call, "twiml-failed", "<Gather> has no action and the document has no URL to post the digits to.");
            return null;
        }

        List<KeyValuePair<string, string>> form =
        [
            new("AccountSid", call.AccountSid),
            new("CallSid", call.Sid),
            new("From", call.From),
            new("Caller", call.From),
            new("To", call.To),
            new("Called", call.To),
            new("Direction", call.Direction),
            new("CallStatus", CallStatuses.InProgress),
            new("ApiVersion", TwilioFormats.ApiVersion),
            new("Digits", digits.ToString()),
        ];
        if (finishedOnKey is not null)
        {
            form.Add(new("FinishedOnKey", finishedOnKey));
        }

        var verbs = await FetchTwimlAsync(call, url, gather.Method, form);
        return verbs is null ? null : (verbs, url);
    }

    /// <summary>
    /// Records the caller for the whole of maxLength (a simulated caller never falls silent), keeps the recording for the
    /// REST emulation and posts it to the action URL, whose TwiML takes over. Null when the caller hung up first.
    /// </summary>
    private async Task<(IReadOnlyList<TwimlVerb> Verbs, string Url)?> RecordAsync(SimulatedCall call, RecordVerb record, string? documentUrl)
    {
        Note(call, "record", $"maxLength={record.MaxLengthSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)}s playBeep={(record.PlayBeep ? "true" : "false")}");
        var started = call.Clock.Now;
        await call.Clock.WaitAsync(record.MaxLengthSeconds, call.HangupRequested);
        var seconds = Math.Max(1, (int)Math.Round((call.Clock.Now - started).TotalSeconds, MidpointRounding.AwayFromZero));
        var recordingSid = TwilioFormats.NewSid("RE");
        network.AddRecording(new SimulatedRecording(recordingSid, call.AccountSid, call.Sid, seconds, 1));
        Note(call, "recorded", $"{recordingSid} ({seconds.ToString(System.Globalization.CultureInfo.InvariantCulture)} s)");
        if (call.IsEnded || call.HangupRequested.IsCancellationRequested)
        {
            return null;
        }

        if (ResolveAction(documentUrl, record.Action) is not { } url)
        {
            Note(call, "twiml-failed", "<Record> has no action and the document has no URL to post the recording to.");
            return null;
        }

        List<KeyValuePair<string, string>> form =
        [
            new("AccountSid", call.AccountSid),
            new("CallSid", call.Sid),
            new("From", call.From),
            new("Caller", call.From),
            new("To", call.To),
            new("Called", call.To),
            new("Direction", call.Direction),
            new("CallStatus", CallStatuses.InProgress),
            new("ApiVersion", TwilioFormats.ApiVersion),
            new("RecordingSid", recordingSid),
            new("RecordingUrl", $"{network.RestBaseUrl}/{TwilioFormats.ApiVersion}/Accounts/{call.AccountSid}/Recordings/{recordingSid}"),
            new("RecordingDuration", TwilioFormats.Seconds(seconds)),
        ];
        var verbs = await FetchTwimlAsync(call, url, record.Method, form);
        return verbs is null ? null : (verbs, url);
    }

    /// <summary>Plays an audio URL: a simulated recording for its length, anything else for one second; logs what played.</summary>
    private async Task PlayAsync(SimulatedCall call, PlayVerb play)
    {
        var recordingSid = play.Url.Split('/').LastOrDefault()?.Split('.')[0];
        var recording = recordingSid is null ? null : network.FindRecording(recordingSid);
        double seconds = recording?.DurationSeconds ?? 1;
        // Audio our own app serves (a voicemail greeting) is fetched as Twilio would, and plays for its real length.
        if (recording is null
            && play.Url.StartsWith(network.Twilio.PublicBaseUrl.TrimEnd('/') + "/", StringComparison.OrdinalIgnoreCase)
            && !play.Url.StartsWith(network.RestBaseUrl + "/", StringComparison.OrdinalIgnoreCase))
        {
            var media = await webhooks.FetchMediaAsync(play.Url, call.Sid, call.ParentSid, stopping);
            if (media is null || Playbooks.Calling.Greetings.GreetingAudio.Inspect(media) is not { } audio)
            {
                Note(call, "play-failed", $"13227: the audio at {play.Url} could not be fetched or played.");
                return;
            }

            seconds = audio.DurationSeconds;
        }

        Note(call, "play", play.Url);
        await call.Clock.WaitAsync(seconds * Math.Max(1, play.Loop), call.HangupRequested);
    }

    /// <summary>
    /// The simulated person answers a one-key prompt with 1 after a second, unless a test posted a key first. False
    /// when the call ended meanwhile.
    /// </summary>
    private async Task<bool> AutoPressAsync(SimulatedCall call)
    {
        if (!await call.Clock.WaitAsync(1, call.HangupRequested))
        {
            return false;
        }

        if (call.Keypad.TryPeek(out _))
        {
            return true;
        }

        Note(call, "key-pressed", "1 (the simulated phone answers a one-key prompt with 1)");
        call.AppendDigits("1");
        return true;
    }

    /// <summary>The next key pressed within <paramref name="seconds"/> of simulated time, or null on timeout or hang-up.</summary>
    private static async Task<char?> NextKeyAsync(SimulatedCall call, double seconds)
    {
        if (call.Keypad.TryRead(out var ready))
        {
            return ready;
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(call.HangupRequested);
        var read = call.Keypad.ReadAsync(stop.Token).AsTask();
        var timeout = call.Clock.WaitAsync(seconds, stop.Token);
        await Task.WhenAny(read, timeout);
        await stop.CancelAsync();
        try
        {
            var key = await read;
            call.Clock.Sync();
            return key;
        }
        catch (OperationCanceledException)
        {
            return null;
        }
        finally
        {
            await timeout;
        }
    }

    /// <summary>The action URL as Twilio reads it: absolute, or relative to the document that holds the &lt;Gather&gt;.</summary>
    private static string? ResolveAction(string? documentUrl, string? action)
    {
        var document = documentUrl is null ? null : WebhookClient.SplitFragment(documentUrl).Url;
        if (string.IsNullOrEmpty(action))
        {
            return document;
        }

        if (Uri.TryCreate(action, UriKind.Absolute, out _))
        {
            return action;
        }

        return document is not null && Uri.TryCreate(new Uri(document), action, out var relative) ? relative.AbsoluteUri : null;
    }

    /// <summary>Places the &lt;Number&gt; as a child leg and bridges it; false when the parent hung up (stop the TwiML).</summary>
    private async Task<bool> DialAsync(SimulatedCall parent, DialVerb dial)
    {
        if (!dial.AnswerOnBridge)
        {
            Answer(parent);
        }

        foreach (var noun in dial.IgnoredNouns.Distinct())
        {
            Note(parent, "verb-ignored", $"<Dial><{noun}> is not simulated; skipped.");
        }

        if (dial.Action is not null)
        {
            Note(parent, "verb-ignored", "<Dial action> is not simulated; the TwiML goes on after the <Dial>.");
        }

        if (dial.Numbers.Count == 0)
        {
            return true;
        }

        if (dial.Numbers.Count > 1)
        {
            Note(parent, "verb-ignored", $"Only the first of {dial.Numbers.Count} <Number>s is dialed.");
        }

        var number = dial.Numbers[0];
        var child = new SimulatedCall(TwilioFormats.NewSid("CA"), parent.AccountSid, dial.CallerId ?? parent.From, number.Number, "outbound-dial", parent.Clock)
        {
            ParentSid = parent.Sid,
            StatusCallback = number.StatusCallback,
        };
        lock (parent.Gate)
        {
            parent.ChildSid = child.Sid;
        }

        network.Register(child, $"<Dial> from {parent.Sid}");
        using var eitherHangsUp = CancellationTokenSource.CreateLinkedTokenSource(parent.HangupRequested, child.HangupRequested, child.RedirectRequested);
        var ringingAt = parent.Clock.Now;
        if (!await RingAsync(child, dial.TimeoutSeconds, eitherHangsUp.Token))
        {
            return !parent.HangupRequested.IsCancellationRequested;
        }

        if (number.Url is { } whisper && !await WhisperAsync(child, whisper, number.UrlMethod, eitherHangsUp.Token))
        {
            if (Redirected(parent, child))
            {
                return true;
            }

            End(child, CallStatuses.Completed);
            return !parent.HangupRequested.IsCancellationRequested;
        }

        Answer(parent);
        Note(parent, "bridged", child.Sid);
        // record-from-answer starts when the legs are bridged, so a whisper (the recording disclosure) comes before it.
        var recordingFrom = dial.RecordsFromRinging ? ringingAt : number.Url is null ? child.AnsweredAt!.Value : parent.Clock.Now;
        var recordingSid = TwilioFormats.NewSid("RE");
        if (dial.Records)
        {
            Recording(parent, dial, recordingSid, "in-progress", recordingFrom, null);
        }

        var limit = child.AnsweredAt!.Value.AddSeconds(dial.TimeLimitSeconds);
        var ends = new DateTimeOffset?[] { child.HangsUpAt, parent.HangsUpAt, limit }.Where(t => t is not null).Min()!.Value;
        await parent.Clock.WaitAsync((ends - parent.Clock.Now).TotalSeconds, eitherHangsUp.Token);
        var parentHungUp = parent.HangupRequested.IsCancellationRequested
            || (!child.HangupRequested.IsCancellationRequested && parent.HangsUpAt <= parent.Clock.Now);
        if (!parentHungUp && Redirected(parent, child))
        {
            if (dial.Records)
            {
                Recording(parent, dial, recordingSid, "completed", recordingFrom, parent.Clock.Now);
            }

            return true;
        }

        End(child, CallStatuses.Completed);
        if (dial.Records)
        {
            Recording(parent, dial, recordingSid, "completed", recordingFrom, child.EndedAt);
        }

        return !parentHungUp;
    }

    /// <summary>
    /// Redirecting the answered child (REST update with Twiml) ends the &lt;Dial&gt;: the prospect's leg runs its new TwiML on
    /// its own and the parent goes on after the &lt;Dial&gt;. False when the child was not redirected.
    /// </summary>
    private bool Redirected(SimulatedCall parent, SimulatedCall child)
    {
        if (child.RedirectedTo is not { } verbs || child.HangupRequested.IsCancellationRequested || parent.HangupRequested.IsCancellationRequested)
        {
            return false;
        }

        Note(parent, "unbridged", child.Sid);
        _ = Task.Run(async () =>
        {
            await ExecuteAsync(child, verbs, null, 0);
            Finish(child);
        }, stopping);
        return true;
    }

    /// <summary>
    /// Runs the &lt;Number url&gt; TwiML on the answered prospect leg before the bridge (what the prospect hears is logged
    /// on the child's SID); false when it hung up, failed, or either side hung up meanwhile: no bridge.
    /// </summary>
    private async Task<bool> WhisperAsync(SimulatedCall child, string url, string method, CancellationToken hangup)
    {
        var verbs = await FetchTwimlAsync(child, url, method,
        [
            new("AccountSid", child.AccountSid),
            new("CallSid", child.Sid),
            new("ParentCallSid", child.ParentSid!),
            new("From", child.From),
            new("Caller", child.From),
            new("To", child.To),
            new("Called", child.To),
            new("Direction", child.Direction),
            new("CallStatus", CallStatuses.InProgress),
            new("ApiVersion", TwilioFormats.ApiVersion),
        ]);
        if (verbs is null)
        {
            return false;
        }

        foreach (var verb in verbs)
        {
            if (hangup.IsCancellationRequested || child.IsEnded)
            {
                return false;
            }

            switch (verb)
            {
                case SayVerb say:
                    Note(child, "say", say.Text);
                    await child.Clock.WaitAsync(SayingSeconds(say), hangup);
                    break;
                case PlayVerb play:
                    Note(child, "play", play.Url);
                    await child.Clock.WaitAsync(PlayingSeconds, hangup);
                    break;
                case PauseVerb pause:
                    await child.Clock.WaitAsync(pause.Seconds, hangup);
                    break;
                case HangupVerb:
                    Note(child, "hangup", "<Hangup> in the <Number url> TwiML; the legs are not bridged");
                    return false;
                default:
                    Note(child, "verb-ignored", $"<{verb.Name}> in a <Number url> is not simulated; skipped.");
                    break;
            }
        }

        return !hangup.IsCancellationRequested && !child.IsEnded;
    }

    private void Recording(SimulatedCall parent, DialVerb dial, string recordingSid, string status, DateTimeOffset startedAt, DateTimeOffset? endedAt)
    {
        int? duration = endedAt is { } end ? (int)Math.Round((end - startedAt).TotalSeconds, MidpointRounding.AwayFromZero) : null;
        if (status == "completed" && duration is { } seconds)
        {
            network.AddRecording(new SimulatedRecording(recordingSid, parent.AccountSid, parent.Sid, seconds, dial.RecordingChannels));
        }

        if (dial.RecordingStatusCallback is not { } subscription || !subscription.Events.Contains(status))
        {
            return;
        }

        List<KeyValuePair<string, string>> form =
        [
            new("AccountSid", parent.AccountSid),
            new("CallSid", parent.Sid),
            new("RecordingSid", recordingSid),
            new("RecordingUrl", $"{network.RestBaseUrl}/{TwilioFormats.ApiVersion}/Accounts/{parent.AccountSid}/Recordings/{recordingSid}"),
            new("RecordingStatus", status),
            new("RecordingChannels", TwilioFormats.Seconds(dial.RecordingChannels)),
            new("RecordingSource", "DialVerb"),
            new("RecordingStartTime", TwilioFormats.Rfc2822(startedAt)),
            new("ErrorCode", "0"),
        ];
        if (duration is { } recorded)
        {
            form.Add(new("RecordingDuration", TwilioFormats.Seconds(recorded)));
        }

        callbacks.Enqueue(parent.Sid, new WebhookRequest("callback", subscription.Url, subscription.Method, form, parent.Sid, parent.ParentSid));
    }

    private void Answer(SimulatedCall call)
    {
        if (call.AnsweredAt is null && !call.HangupRequested.IsCancellationRequested)
        {
            SetStatus(call, CallStatuses.InProgress);
        }
    }

    private async Task<IReadOnlyList<TwimlVerb>?> FetchTwimlAsync(SimulatedCall call, string url, string method, IReadOnlyList<KeyValuePair<string, string>> form)
    {
        var response = await webhooks.SendAsync(new WebhookRequest("twiml-request", url, method, form, call.Sid, call.ParentSid), stopping);
        if (!response.IsSuccess)
        {
            call.Error = $"11200: the voice URL answered {response.Status?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? response.Error}.";
            Note(call, "twiml-failed", call.Error);
            return null;
        }

        return Parse(call, response.Body);
    }

    private IReadOnlyList<TwimlVerb>? Parse(SimulatedCall call, string? twiml)
    {
        var (verbs, error) = TwimlParser.Parse(twiml);
        if (verbs is null)
        {
            call.Error = "12100: " + error;
            log.Add(new SimulatorEvent { Kind = "twiml-failed", CallSid = call.Sid, ParentCallSid = call.ParentSid, Body = twiml, Detail = call.Error });
            return null;
        }

        log.Add(new SimulatorEvent { Kind = "twiml-received", CallSid = call.Sid, ParentCallSid = call.ParentSid, Body = twiml });
        return verbs;
    }

    private void Note(SimulatedCall call, string kind, string detail) =>
        log.Add(new SimulatorEvent { Kind = kind, CallSid = call.Sid, ParentCallSid = call.ParentSid, Detail = detail });
}
