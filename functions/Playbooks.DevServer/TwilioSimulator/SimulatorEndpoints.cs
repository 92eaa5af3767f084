using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Playbooks.Calling;
using Playbooks.Calling.Twilio;
using Playbooks.Functions.Http;

namespace Playbooks.DevServer.TwilioSimulator;

/// <summary>
/// The local Twilio under /sim: the simulated browser Device (connect, digits, hang up), call state, the event
/// log, chaos mode, and the REST emulation. Present only in Development with Telephony:Mode "simulated".
/// </summary>
internal static class SimulatorEndpoints
{
    private static readonly JsonSerializerOptions Json = PlaybooksJson.Options;

    private static readonly TimeSpan HangupWait = TimeSpan.FromSeconds(2);

    public static WebApplication MapTwilioSimulator(this WebApplication app)
    {
        if (!app.Environment.IsDevelopment() || !SimulatorOptions.IsSimulated(app.Configuration))
        {
            return app;
        }

        var network = Create(app);
        var sim = app.MapGroup("/sim");
        // A second parameter keeps these lambdas Delegates, not RequestDelegates that would drop the IResult.
        sim.MapPost("/calls", async (HttpContext http, CancellationToken _) => await ConnectAsync(http, network));
        sim.MapGet("/calls/{callSid}", (HttpContext http, string callSid) =>
            network.Find(callSid) is { } call ? Results.Json(View(network, call), Json) : CallNotFound(http));
        sim.MapPost("/calls/{callSid}/digits", async (HttpContext http, string callSid) => await DigitsAsync(http, network, callSid));
        sim.MapPost("/calls/{callSid}/hangup", async (HttpContext http, string callSid) =>
        {
            if (network.Find(callSid) is not { } call)
            {
                return CallNotFound(http);
            }

            await network.HangupAsync(call, "Hung up by the browser", HangupWait);
            return Results.Json(View(network, call), Json);
        });
        sim.MapGet("/events", (string? callSid, long? after) => Results.Json(network.Log.Read(callSid, after ?? 0), Json));
        sim.MapGet("/chaos", () => Results.Json(network.Chaos.Current, Json));
        sim.MapPut("/chaos", async (HttpContext http, CancellationToken _) => await SetChaosAsync(http, network));
        sim.MapTwilioRestApi(network);
        return app;
    }

    private static SimulatedTwilio Create(WebApplication app)
    {
        var options = app.Configuration.GetSection(SimulatorOptions.Section).Get<SimulatorOptions>() ?? new SimulatorOptions();
        Validate(options);
        Validate(options.Chaos);
        var twilio = app.Services.GetRequiredService<IOptions<TwilioOptions>>().Value;
        var time = app.Services.GetRequiredService<TimeProvider>();
        var stopping = app.Lifetime.ApplicationStopping;
        var http = new HttpClient(new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(5), AllowAutoRedirect = false })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
        var log = new SimulatorEventLog(options.EventLogCapacity, time);
        var webhooks = new WebhookClient(http, new WebhookSigner(twilio.AuthToken), log);
        var chaos = new ChaosSwitch(options.Chaos);
        var network = new SimulatedTwilio(
            twilio, options, time, log, webhooks, new CallbackDelivery(webhooks, chaos, stopping), chaos,
            app.Services.GetRequiredService<ILogger<SimulatedTwilio>>(), stopping);
        stopping.Register(network.HangUpAll);
        app.Lifetime.ApplicationStopped.Register(http.Dispose);
        app.Logger.LogInformation("Twilio simulator on /sim (time scale {TimeScale}, voice URL {VoiceUrl})", options.TimeScale, network.VoiceUrl);
        return network;
    }

    private static async Task<IResult> ConnectAsync(HttpContext http, SimulatedTwilio network)
    {
        var body = await http.Request.ReadJsonAsync<ConnectRequest>(http.RequestAborted);
        if (!body.IsSuccess)
        {
            return Problem(Problems.From(body.Failure!));
        }

        var (device, rejection) = new AccessTokenValidator(network.Twilio).Validate(body.Value!.Token, network.Now);
        if (rejection is not null)
        {
            network.Log.Add(new SimulatorEvent { Kind = "connect-refused", Status = rejection.Status, Detail = $"{rejection.TwilioCode} {rejection.Reason}" });
            return Problem(new ProblemResponse(rejection.Status, rejection.Code, "Access token refused", rejection.Reason)
            {
                Extensions = new Dictionary<string, object?> { ["twilioCode"] = rejection.TwilioCode },
            });
        }

        var call = network.ConnectDevice(device!, body.Value.Params ?? new Dictionary<string, string>());
        return Results.Json(new { callSid = call.Sid }, Json);
    }

    private static async Task<IResult> DigitsAsync(HttpContext http, SimulatedTwilio network, string callSid)
    {
        var body = await http.Request.ReadJsonAsync<DigitsRequest>(http.RequestAborted);
        if (!body.IsSuccess)
        {
            return Problem(Problems.From(body.Failure!));
        }

        return network.SendDigits(callSid, body.Value!.Digits) switch
        {
            DigitsOutcome.Sent => Results.Json(View(network, network.Find(callSid)!), Json),
            DigitsOutcome.NotFound => CallNotFound(http),
            DigitsOutcome.NotInProgress => Problem(Problems.From(Failure.Conflict("call-not-in-progress", "Digits can be sent only while the call is in progress."))),
            _ => Problem(Problems.From(Failure.Invalid("digits", "Digits are 1 to 64 of 0-9, *, # and w (a pause).", "digits-invalid"))),
        };
    }

    private static async Task<IResult> SetChaosAsync(HttpContext http, SimulatedTwilio network)
    {
        var body = await http.Request.ReadJsonAsync<ChaosOptions>(http.RequestAborted);
        if (!body.IsSuccess)
        {
            return Problem(Problems.From(body.Failure!));
        }

        var errors = new List<ValidationResult>();
        if (!Validator.TryValidateObject(body.Value!, new ValidationContext(body.Value!), errors, validateAllProperties: true))
        {
            var first = errors[0];
            return Problem(Problems.From(Failure.Invalid(JsonNamingPolicy.CamelCase.ConvertName(first.MemberNames.FirstOrDefault() ?? "body"), first.ErrorMessage ?? "Invalid.", "chaos-invalid")));
        }

        network.Chaos.Current = body.Value!;
        network.Log.Add(new SimulatorEvent { Kind = "chaos-changed", Detail = JsonSerializer.Serialize(body.Value, Json) });
        return Results.Json(network.Chaos.Current, Json);
    }

    /// <summary>What the web app's simulated Device polls.</summary>
    private static CallView View(SimulatedTwilio network, SimulatedCall call)
    {
        // Each leg is read under its own lock, and callbacks are counted after both: a leg that reads as ended has its
        // ending callback queued by then, so an ended call never shows zero callbacks pending before that one is sent.
        var child = call.ChildSid is { } childSid ? network.Find(childSid) : null;
        (string? Status, int? Duration) childLeg = default;
        if (child is not null)
        {
            lock (child.Gate)
            {
                childLeg = (child.Status, child.DurationSeconds);
            }
        }

        lock (call.Gate)
        {
            return new CallView(call.Sid, call.Status, call.Direction, call.From, call.To, call.Digits, call.DurationSeconds, network.CallbacksPending(call))
            {
                ParentCallSid = call.ParentSid,
                ChildCallSid = child?.Sid,
                ChildStatus = childLeg.Status,
                ChildDuration = childLeg.Duration,
                Error = call.Error,
            };
        }
    }

    private static IResult CallNotFound(HttpContext http) =>
        Problem(Problems.From(Failure.NotFound("Call")));

    private static IResult Problem(ProblemResponse problem) =>
        Results.Json(problem.ToProblemDetails(), Json, Problems.ContentType, problem.Status);

    private static void Validate(object options)
    {
        var errors = new List<ValidationResult>();
        if (!Validator.TryValidateObject(options, new ValidationContext(options), errors, validateAllProperties: true))
        {
            throw new OptionsValidationException(SimulatorOptions.Section, options.GetType(), errors.Select(e => e.ErrorMessage ?? "Invalid."));
        }
    }

    private sealed record ConnectRequest(string? Token, Dictionary<string, string>? Params);

    private sealed record DigitsRequest(string? Digits);
}

internal sealed record CallView(string CallSid, string Status, string Direction, string From, string To, string Digits, int? Duration, int CallbacksPending)
{
    public string? ParentCallSid { get; init; }

    public string? ChildCallSid { get; init; }

    public string? ChildStatus { get; init; }

    public int? ChildDuration { get; init; }

    public string? Error { get; init; }
}
