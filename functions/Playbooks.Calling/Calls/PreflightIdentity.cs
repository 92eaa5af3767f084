using System.Diagnostics.CodeAnalysis;

namespace Playbooks.Calling.Calls;

/// <summary>
/// The client identity of a network test: "_preflight_" and the user's <see cref="ClientIdentity"/>. It starts with
/// "_" and a letter that is not hex, so <see cref="ClientIdentity.TryDecode"/> never reads it and the calling webhook
/// refuses it, whatever TwiML app the call came through.
/// </summary>
public static class PreflightIdentity
{
    public const string Prefix = "_preflight_";

    public const string NotConfigured = "preflight-not-configured";

    public static Result<string> Encode(string orgId, string userId)
    {
        var identity = ClientIdentity.Encode(orgId, userId);
        if (identity.Failure is { } failure)
        {
            return failure;
        }

        var preflight = Prefix + identity.Value;
        return preflight.Length <= ClientIdentity.MaxLength
            ? preflight
            : Failure.Invalid("identity", "The org and user ids are too long for a network-test identity.", "identity-too-long");
    }

    /// <summary>Reads the org and user of <c>client:_preflight_…</c>, the From of a network-test call.</summary>
    public static bool TryDecodeFrom(string? from, [NotNullWhen(true)] out string? orgId, [NotNullWhen(true)] out string? userId)
    {
        orgId = null;
        userId = null;
        const string prefix = CallConnector.ClientPrefix + Prefix;
        return from is not null
            && from.StartsWith(prefix, StringComparison.Ordinal)
            && ClientIdentity.TryDecode(from[prefix.Length..], out orgId, out userId);
    }
}
