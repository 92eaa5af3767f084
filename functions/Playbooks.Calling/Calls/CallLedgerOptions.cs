using System.ComponentModel.DataAnnotations;

namespace Playbooks.Calling.Calls;

/// <summary>How the call ledger writes (section <c>CallLedger</c>).</summary>
public sealed class CallLedgerOptions
{
    public const string Section = "CallLedger";

    /// <summary>
    /// Writes (single inserts or entity-group transactions) one ledger partition (an org has
    /// <see cref="CallLedger.Buckets"/>) may have in flight at once. Records that arrive while all of them are busy
    /// queue and go together in the next free one; one is strict group commit.
    /// </summary>
    [Range(1, 64, ErrorMessage = "CallLedger:MaxWritesInFlightPerPartition must be between 1 and 64.")]
    public int MaxWritesInFlightPerPartition { get; set; } = 4;
}
