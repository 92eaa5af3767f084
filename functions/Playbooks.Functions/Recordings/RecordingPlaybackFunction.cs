using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Playbooks.Calling.Recordings;
using Playbooks.Functions.Auth;
using Playbooks.Functions.Http;

namespace Playbooks.Functions.Recordings;

/// <summary>
/// Plays a call's recording through our API: the caller must be allowed to hear the call (404 otherwise), and the
/// audio comes from Twilio with our credentials, so the browser never sees a Twilio URL.
/// </summary>
public sealed class RecordingPlaybackFunction(RecordingService recordings)
{
    [Function(nameof(RecordingPlaybackFunction))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "calls/{callSid}/recording")] HttpRequest request,
        string callSid,
        CancellationToken cancellationToken)
    {
        var opened = await recordings.OpenAsync(request.GetCaller(), callSid, cancellationToken);
        return opened.ToActionResult(media =>
        {
            var response = request.HttpContext.Response;
            response.RegisterForDispose(media);
            response.Headers.CacheControl = "private, no-store";
            response.Headers.XContentTypeOptions = "nosniff";
            if (media.Length is { } length)
            {
                response.ContentLength = length;
            }

            return new FileStreamResult(media.Content, media.ContentType);
        });
    }
}
