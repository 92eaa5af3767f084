using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Playbooks.Calling.Greetings;
using Playbooks.Functions.Auth;
using Playbooks.Functions.Http;

namespace Playbooks.Functions.Greetings;

/// <summary>Plays one of the caller's greetings back to them (the blob container is private); anyone else's is "not found".</summary>
public sealed class GreetingAudioFunction(GreetingService greetings)
{
    [Function(nameof(GreetingAudioFunction))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "me/greetings/{greetingId}/audio")] HttpRequest request,
        string greetingId,
        CancellationToken cancellationToken)
    {
        var opened = await greetings.OpenAsync(request.GetCaller(), greetingId, cancellationToken);
        return opened.ToActionResult(media => GreetingMediaResult.Stream(request, media, "private, no-store"));
    }
}

internal static class GreetingMediaResult
{
    public static IActionResult Stream(HttpRequest request, GreetingMedia media, string cacheControl)
    {
        var response = request.HttpContext.Response;
        response.RegisterForDispose(media);
        response.Headers.CacheControl = cacheControl;
        response.Headers.XContentTypeOptions = "nosniff";
        if (media.Length is { } length)
        {
            response.ContentLength = length;
        }

        return new FileStreamResult(media.Content, media.ContentType);
    }
}
