using System.Globalization;
using Azure;
using Azure.Data.Tables;

namespace Playbooks.Calling.Activity;

/// <summary>
/// A row of the activities' time index, in the org's partition of the Activities table beside the activities:
/// RowKey <c>~list~{inverted call ticks}~{call SID}</c>, so a range read of the partition returns the newest call first
/// (ties by call SID) and a page of a list is one query. It holds a copy of the activity, written in the same
/// transaction as the activity row, which names it in <see cref="ActivityEntity.ListedAs"/>.
/// </summary>
internal sealed class ActivityListEntry : ITableEntity
{
    /// <summary>Every index row starts with it; '~' sorts after every call SID, and no activity key may start with it.</summary>
    public const string Prefix = "~list~";

    /// <summary>The row that says the org's activities from before the index were all listed.</summary>
    public const string BuiltRowKey = "~listed";

    private const int TickDigits = 19;

    public string PartitionKey { get; set; } = "";

    public string RowKey { get; set; } = "";

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public string Activity { get; set; } = "";

    public string? UserId { get; set; }

    public string? Method { get; set; }

    public string? Outcome { get; set; }

    public DateTimeOffset CallAt { get; set; }

    /// <summary>The index row of an activity row, and the RowKey it is stored under.</summary>
    public static ActivityListEntry Of(ActivityEntity activity) => new()
    {
        PartitionKey = activity.PartitionKey,
        RowKey = KeyOf(activity.CallAt, activity.RowKey),
        Activity = activity.Activity,
        UserId = activity.UserId,
        Method = activity.Method,
        Outcome = activity.Outcome,
        CallAt = activity.CallAt,
    };

    public static string KeyOf(DateTimeOffset callAt, string callSid) => $"{Position(callAt)}~{callSid}";

    /// <summary>Where a call time sorts: the newest first.</summary>
    public static string Position(DateTimeOffset at) =>
        Prefix + (DateTimeOffset.MaxValue.UtcTicks - at.UtcTicks).ToString(CultureInfo.InvariantCulture).PadLeft(TickDigits, '0');

    /// <summary>Whether a continuation token's row key can be an index row's: the prefix, 19 digits, '~' and a call SID.</summary>
    public static bool IsKey(string? rowKey) =>
        rowKey is not null
        && rowKey.Length > Prefix.Length + TickDigits + 1
        && rowKey.StartsWith(Prefix, StringComparison.Ordinal)
        && rowKey.AsSpan(Prefix.Length, TickDigits).IndexOfAnyExceptInRange('0', '9') < 0
        && rowKey[Prefix.Length + TickDigits] == '~';

    public CallActivity ToActivity() => ActivityEntity.Deserialize(Activity, PartitionKey, RowKey);
}
