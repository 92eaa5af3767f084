using System.Globalization;
using Playbooks.DevServer.TwilioSimulator;

namespace Playbooks.DevServer.Tests.EndToEnd;

/// <summary>Webhook requests made the way Twilio makes them, for events the simulator has no reason to send (or to forge one).</summary>
internal static class TwilioWebhooks
{
    /// <summary>The dev server's Twilio auth token (appsettings.Development.json), with which the simulator signs too.</summary>
    public const string AuthToken = "development-only-simulator-auth-token";

    public const string AccountSid = "AC00000000000000000000000000000de7";

    /// <summary>X-Twilio-Signature over the public URL (the live server's own) and the form.</summary>
    public static string Sign(EndToEndServer server, string pathAndQuery, IReadOnlyDictionary<string, string> form, string authToken = AuthToken) =>
        new WebhookSigner(authToken).Sign(server.BaseUrl + pathAndQuery, form);

    /// <summary>A form POST with the given X-Twilio-Signature, or none when null.</summary>
    public static async Task<HttpResponseMessage> PostAsync(EndToEndServer server, string pathAndQuery, IReadOnlyDictionary<string, string> form, string? signature)
    {
        using var client = server.Client();
        using var request = new HttpRequestMessage(HttpMethod.Post, pathAndQuery) { Content = new FormUrlEncodedContent(form) };
        if (signature is not null)
        {
            request.Headers.Add(WebhookSigner.HeaderName, signature);
        }

        return await client.SendAsync(request);
    }

    /// <summary>
    /// A completed recording's callback for a computer-based call, signed, to the URL our TwiML gives a recorded call
    /// (<c>CallbackUrls.RecordingStatus</c>: org, rep, method and agent call SID in the query).
    /// </summary>
    public static Task<HttpResponseMessage> PostRecordingCompletedAsync(
        EndToEndServer server, string orgId, string userId, string callSid, string recordingUrl, int durationSeconds)
    {
        var path = $"/api/twilio/recording-status?orgId={orgId}&userId={userId}&method=computer&agentCallSid={callSid}";
        var form = new Dictionary<string, string>
        {
            ["AccountSid"] = AccountSid,
            ["CallSid"] = callSid,
            ["RecordingSid"] = recordingUrl[(recordingUrl.LastIndexOf('/') + 1)..],
            ["RecordingUrl"] = recordingUrl,
            ["RecordingStatus"] = "completed",
            ["RecordingDuration"] = durationSeconds.ToString(CultureInfo.InvariantCulture),
            ["RecordingChannels"] = "1",
            ["RecordingSource"] = "DialVerb",
            ["RecordingStartTime"] = Rfc2822(DateTimeOffset.UtcNow),
            ["ErrorCode"] = "0",
        };
        return PostAsync(server, path, form, Sign(server, path, form));
    }

    /// <summary>A recording URL of the simulator's account, as Twilio gives them.</summary>
    public static string NewRecordingUrl(EndToEndServer server) =>
        $"{server.BaseUrl}/sim/2010-04-01/Accounts/{AccountSid}/Recordings/RE{Guid.NewGuid():N}";

    public static string Rfc2822(DateTimeOffset at) => at.UtcDateTime.ToString("ddd, dd MMM yyyy HH:mm:ss +0000", CultureInfo.InvariantCulture);
}
