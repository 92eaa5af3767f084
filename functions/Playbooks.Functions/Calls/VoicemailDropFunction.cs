using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Playbooks.Calling.Greetings;
using Playbooks.Functions.Auth;
using Playbooks.Functions.Http;

namespace Playbooks.Functions.Calls;

/// <summary>One click on a call that reached voicemail: the prospect's leg plays the chosen greeting and hangs up, the rep is free.</summary>
public sealed class VoicemailDropFunction(VoicemailDropService drops)
{
    [Function(nameof(VoicemailDropFunction))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "calls/{callSid}/voicemail-drop")] HttpRequest request,
        string callSid,
        CancellationToken cancellationToken)
    {
        var body = await request.ReadJsonAsync<VoicemailDropInput>(cancellationToken);
        if (body.Failure is { } invalid) return invalid.ToActionResult();
        var dropped = await drops.DropAsync(request.GetCaller(), callSid, body.Value!.GreetingId, cancellationToken);
        return dropped.ToActionResult();
    }
}

/// <summary>The body of a voicemail drop: which of the rep's greetings to leave.</summary>
public sealed record VoicemailDropInput(string? GreetingId);
