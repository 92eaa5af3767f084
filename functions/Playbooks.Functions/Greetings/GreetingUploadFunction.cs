using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Playbooks.Calling.Greetings;
using Playbooks.Functions.Auth;
using Playbooks.Functions.Http;

namespace Playbooks.Functions.Greetings;

/// <summary>
/// Adds a voicemail greeting: the audio file is the request body (WAV or MP3, checked from its bytes whatever the
/// Content-Type says) and <c>?name=</c> names it. 201 with the greeting.
/// </summary>
public sealed class GreetingUploadFunction(GreetingService greetings)
{
    [Function(nameof(GreetingUploadFunction))]
    [RequestSizeLimit(GreetingService.MaxBytes)]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "me/greetings")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        var audio = await BinaryData.FromStreamAsync(request.Body, cancellationToken);
        var added = await greetings.AddAsync(request.GetCaller(), request.Query["name"].ToString(), audio, cancellationToken);
        return added.ToActionResult(g => new ObjectResult(GreetingResponse.From(g)) { StatusCode = StatusCodes.Status201Created });
    }
}
