namespace Playbooks.Calling.Crm;

public enum CrmErrorKind
{
    /// <summary>The CRM refused the request (a 4xx other than 401, 408 and 429): retrying the same write cannot help.</summary>
    Permanent,

    /// <summary>5xx, a timeout or a network error: try again after a backoff.</summary>
    Transient,

    /// <summary>429, 503 or the CRM's own request limit: try again after its Retry-After.</summary>
    RateLimited,
}

/// <summary>A CRM request that failed as a whole, with the CRM's own message.</summary>
public sealed class CrmException(CrmErrorKind kind, string message, DateTimeOffset? notBefore = null, Exception? inner = null)
    : Exception(message, inner)
{
    public CrmErrorKind Kind { get; } = kind;

    /// <summary>From the CRM's Retry-After; null lets the sync service choose a backoff.</summary>
    public DateTimeOffset? NotBefore { get; } = notBefore;

    /// <summary>Whether the rest of the org's writes should wait too (an outage, a rate limit or a failed sign-in).</summary>
    public bool StopsOrg { get; init; } = kind != CrmErrorKind.Permanent;
}
