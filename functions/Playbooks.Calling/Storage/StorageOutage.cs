using Azure;

namespace Playbooks.Calling.Storage;

/// <summary>
/// Tells a storage outage (nothing answers, or the service itself fails) from a request storage refused on its
/// merits (404, 409, 412...), which stays the caller's business.
/// </summary>
public static class StorageOutage
{
    /// <summary>How long a client is asked to wait before retrying while storage is down.</summary>
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(5);

    public static bool Is(Exception ex) => ex switch
    {
        // Status 0: no response at all (connection refused, DNS, TLS); 5xx and 408: the service failed or timed out.
        RequestFailedException failed => failed.Status is 0 or 408 or >= 500,
        HttpRequestException => true,
        // The SDK's retry policy gives up with an AggregateException of every attempt's failure.
        AggregateException aggregate => aggregate.InnerExceptions.Count > 0 && aggregate.InnerExceptions.All(Is),
        _ => false,
    };
}
