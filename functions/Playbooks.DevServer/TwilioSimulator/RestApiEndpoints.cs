using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Primitives;

namespace Playbooks.DevServer.TwilioSimulator;

/// <summary>
/// Twilio's REST API for calls (2010-04-01), as much as our gateway and the Twilio library use: create a call,
/// fetch it, update it to completed or canceled, and fetch a recording's media. Authenticated with HTTP Basic (API key SID and secret, or
/// account SID and auth token); answers and errors in Twilio's JSON.
/// </summary>
internal static partial class RestApiEndpoints
{
    // Twilio's own format: its snake_case keys are spelled out, and nothing is camel-cased.
    private static readonly JsonSerializerOptions Json = JsonSerializerOptions.Default;

    public static void MapTwilioRestApi(this IEndpointRouteBuilder sim, SimulatedTwilio network)
    {
        var account = sim.MapGroup($"/{TwilioFormats.ApiVersion}/Accounts/{{accountSid}}");
        account.MapPost("/Calls.json", async (HttpContext http, string accountSid) =>
            Authorize(http, network, accountSid) ?? await CreateAsync(http, network));
        account.MapGet("/Calls.json", (HttpContext http, string accountSid) =>
            Authorize(http, network, accountSid) ?? ChildPage(http, network));
        account.MapGet("/Calls/{callSid}.json", (HttpContext http, string accountSid, string callSid) =>
            Authorize(http, network, accountSid) ?? (network.Find(callSid) is { } call ? Results.Json(Resource(call), Json) : NotFound(http)));
        account.MapPost("/Calls/{callSid}.json", async (HttpContext http, string accountSid, string callSid) =>
            Authorize(http, network, accountSid) ?? await UpdateAsync(http, network, callSid));
        account.MapGet("/IncomingPhoneNumbers.json", (HttpContext http, string accountSid) =>
            Authorize(http, network, accountSid) ?? NumberPage(http, "incoming_phone_numbers", network.Options.OwnedNumbers, network.Now));
        account.MapGet("/OutgoingCallerIds.json", (HttpContext http, string accountSid) =>
            Authorize(http, network, accountSid) ?? NumberPage(http, "outgoing_caller_ids", network.Options.VerifiedCallerIds, network.Now));
        account.MapGet("/Recordings/{recordingSid}", (HttpContext http, string accountSid, string recordingSid) =>
            Authorize(http, network, accountSid) ?? Media(http, network, recordingSid));
    }

    private static async Task<IResult> CreateAsync(HttpContext http, SimulatedTwilio network)
    {
        if (!http.Request.HasFormContentType)
        {
            return Error(400, 20001, "Twilio's REST API takes application/x-www-form-urlencoded parameters.");
        }

        var form = await http.Request.ReadFormAsync(http.RequestAborted);
        Audit(network, http, form, null);
        var to = form["To"].ToString();
        var from = form["From"].ToString();
        var url = form["Url"].ToString();
        var twiml = form["Twiml"].ToString();
        if (to.Length == 0)
        {
            return Error(400, 21201, "No 'To' number is specified");
        }

        if (!Address().IsMatch(to))
        {
            return Error(400, 21211, $"Invalid 'To' Phone Number: {to}");
        }

        if (from.Length == 0)
        {
            return Error(400, 21213, "No 'From' number is specified");
        }

        if (!Address().IsMatch(from))
        {
            return Error(400, 21212, $"Invalid 'From' Phone Number: {from}");
        }

        if (twiml.Length == 0 && !Uri.TryCreate(url, UriKind.Absolute, out _))
        {
            return Error(400, 21205, "Url parameter is required and must be an absolute URL.");
        }

        var callbackUrl = form["StatusCallback"].ToString();
        var subscription = callbackUrl.Length == 0
            ? null
            : new StatusSubscription(callbackUrl, Method(form["StatusCallbackMethod"]), StatusSubscription.ParseEvents(string.Join(' ', form["StatusCallbackEvent"].ToArray()), "completed"));
        var timeout = int.TryParse(form["Timeout"], out var seconds) ? Math.Clamp(seconds, 5, 600) : 60;
        var created = network.CreateCall(
            new RestCallRequest(to, from, url.Length == 0 ? null : url, Method(form["Method"]), twiml.Length == 0 ? null : twiml, subscription, timeout),
            Resource);
        return Results.Json(created, Json, statusCode: 201);
    }

    private static async Task<IResult> UpdateAsync(HttpContext http, SimulatedTwilio network, string callSid)
    {
        if (!http.Request.HasFormContentType)
        {
            return Error(400, 20001, "Twilio's REST API takes application/x-www-form-urlencoded parameters.");
        }

        var form = await http.Request.ReadFormAsync(http.RequestAborted);
        Audit(network, http, form, callSid);
        if (network.Find(callSid) is not { } call)
        {
            return NotFound(http);
        }

        var status = form["Status"].ToString();
        var twiml = form["Twiml"].ToString();
        if (twiml.Length > 0 && status.Length == 0)
        {
            return Redirect(http, network, call, twiml);
        }

        if (status is not (CallStatuses.Completed or CallStatuses.Canceled))
        {
            network.Log.Add(new SimulatorEvent { Kind = "verb-ignored", CallSid = callSid, Detail = "Only Status=completed or canceled updates are simulated." });
            return Results.Json(Resource(call), Json);
        }

        if (call.IsEnded)
        {
            return Error(400, 21220, "Call is not in-progress. Cannot redirect.");
        }

        // Twilio cancels only calls not yet answered; completed hangs up either way.
        if (status == CallStatuses.Completed || call.AnsweredAt is null)
        {
            await network.HangupAsync(call, $"REST update Status={status}", TimeSpan.FromSeconds(2));
        }

        return Results.Json(Resource(call), Json);
    }

    /// <summary>
    /// Reading calls, as far as the voicemail drop needs it: the child legs of <c>ParentCallSid</c>, filtered by <c>Status</c>,
    /// in Twilio's page shape. Without <c>ParentCallSid</c> the page is empty.
    /// </summary>
    private static IResult ChildPage(HttpContext http, SimulatedTwilio network)
    {
        var parentSid = http.Request.Query["ParentCallSid"].ToString();
        var status = http.Request.Query["Status"].ToString();
        var child = network.Find(parentSid)?.ChildSid is { } childSid ? network.Find(childSid) : null;
        var calls = child is not null && (status.Length == 0 || child.Status == status) ? new[] { Resource(child) } : [];
        var path = http.Request.Path.Value!.Replace("/sim", "", StringComparison.Ordinal);
        return Results.Json(new Dictionary<string, object?>
        {
            ["calls"] = calls,
            ["end"] = Math.Max(0, calls.Length - 1),
            ["first_page_uri"] = path,
            ["next_page_uri"] = null,
            ["page"] = 0,
            ["page_size"] = 50,
            ["previous_page_uri"] = null,
            ["start"] = 0,
            ["uri"] = path,
        }, Json);
    }

    /// <summary>
    /// Update with <c>Twiml</c>: an answered &lt;Dial&gt;ed child leg leaves the bridge and runs the new TwiML while its parent
    /// goes on after the &lt;Dial&gt; (a voicemail drop). Other legs are not redirected (logged as verb-ignored).
    /// </summary>
    private static IResult Redirect(HttpContext http, SimulatedTwilio network, SimulatedCall call, string twiml)
    {
        if (call.IsEnded)
        {
            return Error(400, 21220, "Call is not in-progress. Cannot redirect.");
        }

        var (verbs, error) = TwimlParser.Parse(twiml);
        if (verbs is null)
        {
            return Error(400, 12100, "Document parse failure: " + error);
        }

        if (call.ParentSid is null || call.Status != CallStatuses.InProgress)
        {
            network.Log.Add(new SimulatorEvent { Kind = "verb-ignored", CallSid = call.Sid, Detail = "Only an answered <Dial>ed child leg is redirected with Twiml." });
            return Results.Json(Resource(call), Json);
        }

        network.Log.Add(new SimulatorEvent { Kind = "redirected", CallSid = call.Sid, ParentCallSid = call.ParentSid, Body = twiml, Detail = "REST update with Twiml" });
        call.Clock.Sync();
        call.Redirect(verbs);
        return Results.Json(Resource(call), Json);
    }

    /// <summary>
    /// A recording's media, as Twilio serves it with "Enforce HTTP Auth on Media URLs" on: WAV for the bare SID or .wav.
    /// The simulator makes no MP3.
    /// </summary>
    private static IResult Media(HttpContext http, SimulatedTwilio network, string file)
    {
        var (sid, extension) = file.EndsWith(".wav", StringComparison.Ordinal) ? (file[..^4], ".wav") : (file, Path.GetExtension(file));
        if (extension is not (".wav" or "") || network.FindRecording(sid) is not { } recording)
        {
            return NotFound(http);
        }

        network.Log.Add(new SimulatorEvent { Kind = "recording-fetched", CallSid = recording.CallSid, Url = http.Request.Path, Detail = recording.Sid });
        return Results.Bytes(recording.Wav(), "audio/x-wav");
    }

    /// <summary>
    /// One page of a number list in Twilio's page shape, filtered by <c>PhoneNumber</c> (exact E.164) as Twilio does.
    /// Wildcard entries (<c>+1500*</c>) show up only when the filter asks for a number they cover.
    /// </summary>
    private static IResult NumberPage(HttpContext http, string key, IEnumerable<string> entries, DateTimeOffset now)
    {
        var filter = http.Request.Query["PhoneNumber"].ToString();
        var numbers = filter.Length == 0
            ? entries.Where(e => !e.EndsWith('*')).Distinct().ToList()
            : entries.Any(e => e.EndsWith('*') ? filter.StartsWith(e[..^1], StringComparison.Ordinal) && Address().IsMatch(filter) : e == filter) ? [filter] : [];
        var pageSize = int.TryParse(http.Request.Query["PageSize"], out var size) ? Math.Clamp(size, 1, 1000) : 50;
        var path = http.Request.Path.Value!.Replace("/sim", "", StringComparison.Ordinal);
        var accountSid = http.Request.RouteValues["accountSid"]?.ToString();
        var query = (filter.Length == 0 ? "" : $"PhoneNumber={Uri.EscapeDataString(filter)}&") + $"PageSize={pageSize}&Page=0";
        var records = numbers.Take(pageSize).Select(number => new Dictionary<string, object?>
        {
            ["sid"] = "PN" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(number)))[..32],
            ["account_sid"] = accountSid,
            ["friendly_name"] = number,
            ["phone_number"] = number,
            ["date_created"] = TwilioFormats.Rfc2822(now),
            ["date_updated"] = TwilioFormats.Rfc2822(now),
            ["uri"] = $"{path[..^".json".Length]}/{number}.json",
        }).ToList();
        return Results.Json(new Dictionary<string, object?>
        {
            [key] = records,
            ["end"] = Math.Max(0, records.Count - 1),
            ["first_page_uri"] = $"{path}?{query}",
            ["next_page_uri"] = null,
            ["page"] = 0,
            ["page_size"] = pageSize,
            ["previous_page_uri"] = null,
            ["start"] = 0,
            ["uri"] = $"{path}?{query}",
        }, Json);
    }

    /// <summary>Twilio's call resource, snake_case, dates in RFC 2822.</summary>
    internal static Dictionary<string, object?> Resource(SimulatedCall call)
    {
        var uri = $"/{TwilioFormats.ApiVersion}/Accounts/{call.AccountSid}/Calls/{call.Sid}";
        lock (call.Gate)
        {
            return new Dictionary<string, object?>
            {
                ["sid"] = call.Sid,
                ["account_sid"] = call.AccountSid,
                ["parent_call_sid"] = call.ParentSid,
                ["date_created"] = TwilioFormats.Rfc2822(call.CreatedAt),
                ["date_updated"] = TwilioFormats.Rfc2822(call.Clock.Now),
                ["to"] = call.To,
                ["to_formatted"] = call.To,
                ["from"] = call.From,
                ["from_formatted"] = call.From,
                ["phone_number_sid"] = null,
                ["status"] = call.Status,
                ["start_time"] = call.AnsweredAt is { } answered ? TwilioFormats.Rfc2822(answered) : null,
                ["end_time"] = call.EndedAt is { } ended ? TwilioFormats.Rfc2822(ended) : null,
                ["duration"] = call.DurationSeconds is { } duration ? TwilioFormats.Seconds(duration) : null,
                ["price"] = null,
                ["price_unit"] = "USD",
                ["direction"] = call.Direction,
                ["answered_by"] = null,
                ["api_version"] = TwilioFormats.ApiVersion,
                ["forwarded_from"] = null,
                ["group_sid"] = null,
                ["caller_name"] = null,
                ["queue_time"] = "0",
                ["trunk_sid"] = null,
                ["uri"] = uri + ".json",
                ["subresource_uris"] = new Dictionary<string, string>
                {
                    ["notifications"] = uri + "/Notifications.json",
                    ["recordings"] = uri + "/Recordings.json",
                    ["events"] = uri + "/Events.json",
                },
            };
        }
    }

    private static IResult? Authorize(HttpContext http, SimulatedTwilio network, string accountSid)
    {
        var twilio = network.Twilio;
        if (!AuthenticationHeaderValue.TryParse(http.Request.Headers.Authorization, out var header)
            || !string.Equals(header.Scheme, "Basic", StringComparison.OrdinalIgnoreCase)
            || !TryDecode(header.Parameter, out var user, out var secret)
            || !((user == twilio.ApiKeySid && secret == twilio.ApiKeySecret) || (user == twilio.AccountSid && secret == twilio.AuthToken)))
        {
            return Error(401, 20003, "Authenticate");
        }

        return accountSid == twilio.AccountSid ? null : NotFound(http);
    }

    private static bool TryDecode(string? parameter, out string user, out string secret)
    {
        user = secret = "";
        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(parameter ?? ""));
            var colon = text.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0)
            {
                return false;
            }

            (user, secret) = (text[..colon], text[(colon + 1)..]);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static IResult NotFound(HttpContext http) =>
        Error(404, 20404, $"The requested resource {http.Request.Path.Value?.Replace("/sim", "", StringComparison.Ordinal)} was not found");

    /// <summary>Twilio's error body, which the Twilio library turns into an ApiException.</summary>
    private static IResult Error(int status, int code, string message) =>
        Results.Json(new Dictionary<string, object> { ["code"] = code, ["message"] = message, ["more_info"] = $"https://www.twilio.com/docs/errors/{code}", ["status"] = status }, Json, statusCode: status);

    private static string Method(StringValues value) =>
        string.Equals(value.ToString(), "GET", StringComparison.OrdinalIgnoreCase) ? "GET" : "POST";

    private static void Audit(SimulatedTwilio network, HttpContext http, IFormCollection form, string? callSid) =>
        network.Log.Add(new SimulatorEvent
        {
            Kind = "rest-request",
            CallSid = callSid,
            Method = http.Request.Method,
            Url = http.Request.Path,
            Params = form.ToDictionary(f => f.Key, f => f.Value.ToString(), StringComparer.Ordinal),
        });

    /// <summary>E.164, or a client:/sip: address.</summary>
    [GeneratedRegex(@"^(\+[1-9][0-9]{1,14}|client:[A-Za-z0-9_]+|sip:\S+)$")]
    private static partial Regex Address();
}
