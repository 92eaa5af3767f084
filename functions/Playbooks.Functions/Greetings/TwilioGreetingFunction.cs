using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Playbooks.Calling.Greetings;
using Playbooks.Functions.Http;

namespace Playbooks.Functions.Greetings;

/// <summary>
/// The audio Twilio's &lt;Play&gt; fetches during a voicemail drop. No bearer token and no form to sign: the short-lived
/// HMAC token in the path (<see cref="GreetingLinks"/>) opens exactly one greeting until it expires, 403 otherwise.
/// </summary>
public sealed class TwilioGreetingFunction(GreetingService greetings)
{
    [Function(nameof(TwilioGreetingFunction))]
    [AllowAnonymous]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "twilio/greetings/{token}")] HttpRequest request,
        string token,
        CancellationToken cancellationToken)
    {
        var opened = await greetings.OpenLinkAsync(token, cancellationToken);
        return opened.ToActionResult(media => GreetingMediaResult.Stream(request, media, "private, no-store"));
    }
}
