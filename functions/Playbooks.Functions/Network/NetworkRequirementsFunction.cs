using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Playbooks.Calling.Network;
using Playbooks.Functions.Auth;
using Playbooks.Functions.Http;
using Playbooks.Functions.Me;

namespace Playbooks.Functions.Network;

/// <summary>Firewall and network requirements for <c>?edge=</c>, or by default for the edges the caller's org uses.</summary>
public sealed class NetworkRequirementsFunction(NetworkRequirementsService network)
{
    [Function(nameof(NetworkRequirementsFunction))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "network/requirements")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        var caller = request.GetCaller();
        var edge = request.Query["edge"].ToString();
        var requirements = await network.GetAsync(caller, edge.Length == 0 ? null : edge, cancellationToken);
        return requirements.OrNotProvisioned(caller).ToActionResult();
    }
}
