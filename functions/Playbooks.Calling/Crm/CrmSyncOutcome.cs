using System.Text.Json.Serialization;
using Playbooks.Calling.Activity;

namespace Playbooks.Calling.Crm;

[JsonConverter(typeof(JsonStringEnumConverter<CrmSyncResult>))]
public enum CrmSyncResult
{
    /// <summary>The CRM holds the activity's current content.</summary>
    [JsonStringEnumMemberName("synced")] Synced,

    /// <summary>The CRM refused it for good (a permanent 4xx or a sign-in the admin must fix); retried only by an admin.</summary>
    [JsonStringEnumMemberName("failed")] Failed,

    /// <summary>Not written this time (rate limit, outage, network); stays pending and is tried again after NotBefore.</summary>
    [JsonStringEnumMemberName("retry-later")] RetryLater,

    /// <summary>Nothing to do: the call has not ended, or the org writes to no CRM.</summary>
    [JsonStringEnumMemberName("skipped")] Skipped,
}

/// <summary>What happened to one activity in a sync.</summary>
public sealed record CrmSyncOutcome(ActivityKey Key, CrmSyncResult Result)
{
    /// <summary>The CRM's own message for a failure, or why a write was put off or skipped.</summary>
    public string? Message { get; init; }

    /// <summary>For <see cref="CrmSyncResult.RetryLater"/>: not before this time (the CRM's Retry-After, or our backoff).</summary>
    public DateTimeOffset? NotBefore { get; init; }

    /// <summary>The Salesforce Task id or the Dynamics phonecall activityid.</summary>
    public string? CrmRecordId { get; init; }

    /// <summary>For <see cref="CrmSyncResult.Synced"/>: what was left out and why (e.g. a whoId whose record does not list the number dialed).</summary>
    public string? Warning { get; init; }

    /// <summary>False when the CRM was not asked at all (the org is waiting out a Retry-After); no attempt to count.</summary>
    public bool Attempted { get; init; } = true;

    public static CrmSyncOutcome Synced(ActivityKey key, string crmRecordId) =>
        new(key, CrmSyncResult.Synced) { CrmRecordId = crmRecordId };

    public static CrmSyncOutcome Failed(ActivityKey key, string message) =>
        new(key, CrmSyncResult.Failed) { Message = message };

    public static CrmSyncOutcome RetryLater(ActivityKey key, string message, DateTimeOffset? notBefore) =>
        new(key, CrmSyncResult.RetryLater) { Message = message, NotBefore = notBefore };

    public static CrmSyncOutcome Skipped(ActivityKey key, string reason) =>
        new(key, CrmSyncResult.Skipped) { Message = reason };

    /// <summary>The outcome of a request that failed as a whole, for each activity it carried.</summary>
    public static CrmSyncOutcome From(ActivityKey key, CrmException error) => error.Kind == CrmErrorKind.Permanent
        ? Failed(key, error.Message)
        : RetryLater(key, error.Message, error.NotBefore);
}
