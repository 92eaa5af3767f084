using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Playbooks.Calling.Calls;
using Playbooks.Calling.Orgs;
using Twilio.Security;

namespace Playbooks.DevServer.Tests.TwilioSimulator;

/// <summary>A request the simulator made to our webhooks, and whether its X-Twilio-Signature checked out.</summary>
public sealed record WebhookHit(string Path, string Query, IReadOnlyDictionary<string, string> Form, bool SignatureValid)
{
    public string this[string name] => Form[name];
}

/// <summary>
/// Stands in for /api/twilio/* until the real webhooks exist: answers the voice webhook with the TwiML our
/// <see cref="TwimlBuilder"/> makes (callback URLs and their #fragment included) and records every request.
/// The test steers it through the call's custom parameters (or the voice URL's query): <c>Recording</c>
/// (off, record-from-answer, dual-channel), <c>Refuse</c> (any value: Say + Hangup), <c>prospect</c> (phone-based).
/// </summary>
public sealed class FakeWebhooks : IAsyncDisposable
{
    public const string CallerId = "+15005550006";

    /// <summary>A &lt;Gather&gt; action: records the digits and answers with one &lt;Say&gt; of <see cref="GatherActionSays"/>.</summary>
    public const string GatherActionPath = "/gather-action";

    public const string GatherActionSays = "Thanks for the digits";

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<WebhookHit> _hits = new();

    private FakeWebhooks(WebApplication app, string baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
    }

    public string BaseUrl { get; }

    public IReadOnlyList<WebhookHit> Hits => _hits.ToList();

    /// <summary>Status code the status webhook answers with, for retry tests; 204 normally.</summary>
    public int StatusAnswer { get; set; } = 204;

    public static async Task<FakeWebhooks> StartAsync()
    {
        var port = FreePort();
        var baseUrl = $"http://127.0.0.1:{port}";
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(baseUrl);
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var webhooks = new FakeWebhooks(app, baseUrl);
        var twiml = new TwimlBuilder(new CallbackUrls(Options.Create(SimulatorSettings.Twilio(baseUrl))));
        var validator = new RequestValidator(SimulatorSettings.AuthToken);

        app.MapPost("/api/twilio/voice", async (HttpContext http) =>
        {
            var hit = await webhooks.RecordAsync(http, validator);
            if (hit.Form.ContainsKey("Refuse"))
            {
                return Results.Content(twiml.Refuse("Calling is not enabled for your organization."), "application/xml");
            }

            var query = http.Request.Query;
            var prospect = query["prospect"].FirstOrDefault() ?? hit.Form["To"];
            var recording = hit.Form.GetValueOrDefault("Recording") ?? query["recording"].FirstOrDefault();
            RecordingModes.TryParse(recording, out var mode);
            var method = query.ContainsKey("prospect") ? CallingMethod.Phone : CallingMethod.Computer;
            var context = new CallbackContext("acme-demo", "rep-both", method) { AgentCallSid = method == CallingMethod.Phone ? hit.Form["CallSid"] : null };
            return Results.Content(twiml.Dial(new DialPlan(prospect, CallerId, mode, context)), "application/xml");
        });
        app.MapPost("/api/twilio/status", async (HttpContext http) =>
        {
            await webhooks.RecordAsync(http, validator);
            return Results.StatusCode(webhooks.StatusAnswer);
        });
        app.MapPost(GatherActionPath, async (HttpContext http) =>
        {
            await webhooks.RecordAsync(http, validator);
            return Results.Content($"<Response><Say>{GatherActionSays}</Say></Response>", "application/xml");
        });
        app.MapPost("/api/twilio/recording-status", async (HttpContext http) =>
        {
            await webhooks.RecordAsync(http, validator);
            return Results.NoContent();
        });
        await app.StartAsync();
        return webhooks;
    }

    /// <summary>Status callbacks about one leg, in the order they arrived.</summary>
    public IReadOnlyList<WebhookHit> StatusCallbacks(string callSid) =>
        Hits.Where(h => h.Path == CallbackUrls.StatusPath && h.Form.GetValueOrDefault("CallSid") == callSid).ToList();

    public IReadOnlyList<WebhookHit> RecordingCallbacks(string parentCallSid) =>
        Hits.Where(h => h.Path == CallbackUrls.RecordingStatusPath && h.Form.GetValueOrDefault("CallSid") == parentCallSid).ToList();

    public IReadOnlyList<WebhookHit> VoiceRequests(string callSid) =>
        Hits.Where(h => h.Path == CallbackUrls.VoicePath && h.Form.GetValueOrDefault("CallSid") == callSid).ToList();

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private async Task<WebhookHit> RecordAsync(HttpContext http, RequestValidator validator)
    {
        var form = await http.Request.ReadFormAsync();
        var fields = form.ToDictionary(f => f.Key, f => f.Value.ToString(), StringComparer.Ordinal);
        var url = BaseUrl + http.Request.Path + http.Request.QueryString;
        var signature = http.Request.Headers["X-Twilio-Signature"].ToString();
        var hit = new WebhookHit(http.Request.Path, http.Request.QueryString.Value ?? "", fields, validator.Validate(url, fields, signature));
        _hits.Enqueue(hit);
        return hit;
    }
}
