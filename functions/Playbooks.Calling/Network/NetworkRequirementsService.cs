using Playbooks.Calling.Identity;
using Playbooks.Calling.Orgs;

namespace Playbooks.Calling.Network;

/// <summary>The firewall and network requirements for one edge, or for the edges the caller's org uses.</summary>
public class NetworkRequirementsService(OrgStore orgs)
{
    public virtual async Task<Result<NetworkRequirements>> GetAsync(Caller caller, string? edge, CancellationToken cancellationToken = default)
    {
        if (edge is not null)
        {
            return Resolve(edge) is { } name
                ? For([name])
                : Failure.Invalid("edge",
                    $"'{edge}' is not an edge location. Use {TwilioNetwork.Roaming} or one of: {string.Join(", ", TwilioNetwork.Locations.Select(l => l.Edge ?? l.Name))}.",
                    "unknown-edge");
        }
        if (await orgs.GetAsync(caller.OrgId, cancellationToken) is not { } org)
        {
            return Failure.NotFound("Org");
        }
        return For(org.Edges.Select(e => Resolve(e) ?? e).ToList());
    }

    /// <summary>
    /// The requirements for <paramref name="edges"/> (canonical names, see <see cref="Resolve"/>): roaming means every
    /// location and the GLL guidance; otherwise only the listed locations, in order.
    /// </summary>
    public static NetworkRequirements For(IReadOnlyList<string> edges)
    {
        var roaming = edges.Contains(TwilioNetwork.Roaming);
        var locations = roaming
            ? TwilioNetwork.Locations
            : edges.Select(e => TwilioNetwork.Locations.FirstOrDefault(l => (l.Edge ?? l.Name) == e)).OfType<EdgeLocation>().Distinct().ToList();
        var regional = TwilioNetwork.SignalingRegions
            .Where(r => locations.Any(l => l.Region == r))
            .Select(TwilioNetwork.RegionalSignaling);
        return new NetworkRequirements(
            edges,
            [.. TwilioNetwork.GlobalSignaling, .. regional],
            locations,
            TwilioNetwork.SourcePorts,
            TwilioNetwork.Firewall,
            TwilioNetwork.QualityOfService,
            TwilioNetwork.Encryption,
            TwilioNetwork.Quality,
            roaming ? TwilioNetwork.Gll : null,
            TwilioNetwork.Vpn);
    }

    /// <summary>
    /// The canonical name of an edge given by SDK edge name, the source's location name or region code
    /// (e.g. "umatilla", "oregon" or "us2"; "gll" is roaming), or null when there is no such edge.
    /// </summary>
    public static string? Resolve(string edge)
    {
        var key = edge.Trim().ToLowerInvariant();
        if (key is TwilioNetwork.Roaming or "gll")
        {
            return TwilioNetwork.Roaming;
        }
        var location = TwilioNetwork.Locations.FirstOrDefault(l => key == l.Name || key == l.Region || key == l.Edge);
        return location is null ? null : location.Edge ?? location.Name;
    }
}
