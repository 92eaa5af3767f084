using Azure;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Playbooks.Calling.Identity;
using Playbooks.Calling.Storage;

namespace Playbooks.Calling.Audit;

/// <summary>
/// Every privileged change is audited, or it does not happen: <see cref="RecordChangeAsync{T}"/> writes the entry
/// (pending, with before and after) first, only then applies the change, and marks the entry with the outcome.
/// </summary>
public class AuditService(AuditStore store, TimeProvider clock, ILogger<AuditService>? logger = null)
{
    public const string Person = "person";
    public const string PermissionGroup = "permission-group";
    public const string Org = "org";
    public const string Team = "team";

    public const string ChangeTooLarge = "change-too-large";
    public const string AuditUnavailable = "audit-unavailable";

    /// <summary>
    /// Table Storage holds at most 64 KiB in a string property, i.e. 32,768 UTF-16 characters; the margin leaves room
    /// for JSON escaping differences and keeps the whole entry far below the 1 MiB entity limit.
    /// </summary>
    public const int MaxSnapshotLength = 32_000;

    public const int MaxActorNameLength = 256;

    private readonly ILogger _logger = logger ?? NullLogger<AuditService>.Instance;

    /// <summary>
    /// Records a change in <paramref name="orgId"/> (Support acts on other orgs, so it is not always the caller's) and
    /// applies it only once the entry is stored. Refuses with 400 <c>change-too-large</c> when the entry could not be
    /// stored, and 503 <c>audit-unavailable</c> when storing it failed; <paramref name="apply"/> is not called then.
    /// A refusal from <paramref name="apply"/> marks the entry not-applied and is returned as is.
    /// </summary>
    public virtual async Task<Result<T>> RecordChangeAsync<T>(
        Caller actor, string orgId, string action, string targetType, string targetId, object? before, object? after,
        Func<Task<Result<T>>> apply, CancellationToken cancellationToken = default)
    {
        var entry = NewEntry(actor, orgId, action, targetType, targetId, before, after, AuditStates.Pending);
        if (TooLarge(entry) is { } tooLarge)
        {
            return tooLarge;
        }
        try
        {
            await store.AppendAsync(entry, cancellationToken);
        }
        catch (RequestFailedException ex)
        {
            _logger.LogError(ex, "Refused {Action} on {TargetType} {TargetId}: the audit entry could not be written", action, targetType, targetId);
            return new Failure(FailureKind.Unavailable, AuditUnavailable,
                "The change was not made because it could not be recorded in the audit log. Try again in a moment.");
        }

        Result<T> result;
        try
        {
            result = await apply();
        }
        catch (RequestFailedException ex) when (ex.Status is 400 or 413)
        {
            // Storage refused the change itself, so it did not happen; one it found too large is the caller's input at fault.
            await MarkAsync(entry, AuditStates.NotApplied, ex.ErrorCode ?? "storage-refused");
            if (ex.ErrorCode is "PropertyValueTooLarge" or "EntityTooLarge" or "RequestBodyTooLarge")
            {
                return TooLargeForStorage();
            }
            throw;
        }
        await MarkAsync(entry, result.IsSuccess ? AuditStates.Applied : AuditStates.NotApplied, result.Failure?.Code);
        return result;
    }

    /// <summary>
    /// Records an event that changes nothing (a connection test, a read of something sensitive): it has happened.
    /// Oversized snapshots are cut short rather than refused, since there is no change to hold back.
    /// </summary>
    public virtual Task RecordAsync(
        Caller actor, string orgId, string action, string targetType, string targetId, object? before, object? after,
        CancellationToken cancellationToken = default)
    {
        var entry = NewEntry(actor, orgId, action, targetType, targetId, before, after, AuditStates.Applied);
        return store.AppendAsync(entry with { Before = Cut(entry.Before), After = Cut(entry.After), TargetId = Cut(entry.TargetId)! }, cancellationToken);
    }

    private static string? Cut(string? snapshot) =>
        snapshot is { Length: > MaxSnapshotLength } ? snapshot[..(MaxSnapshotLength - 1)] + "…" : snapshot;

    public virtual async Task<Result<PagedList<AuditEntry>>> ListAsync(Caller caller, PageRequest page, CancellationToken cancellationToken = default)
    {
        if (!caller.IsAdmin)
        {
            return Failure.Forbidden("requires-admin", "Only admins can read the audit log.");
        }
        if (ContinuationTokens.Validate(page) is { } invalid)
        {
            return invalid;
        }
        return await store.ListAsync(caller.OrgId, page, cancellationToken);
    }

    private AuditEntry NewEntry(
        Caller actor, string orgId, string action, string targetType, string targetId, object? before, object? after, string state)
    {
        var at = clock.GetUtcNow();
        return new AuditEntry
        {
            OrgId = orgId,
            Id = AuditEntity.NewRowKey(at),
            At = at,
            ActorUserId = actor.UserId,
            ActorDisplayName = actor.DisplayName.Length > MaxActorNameLength ? actor.DisplayName[..MaxActorNameLength] : actor.DisplayName,
            ActorTenantId = actor.IsSupport ? actor.TenantId : null,
            Action = action,
            TargetType = targetType,
            TargetId = targetId,
            Before = before is null ? null : JsonColumns.ToJson(before),
            After = after is null ? null : JsonColumns.ToJson(after),
            State = state,
        };
    }

    private static Failure? TooLarge(AuditEntry entry)
    {
        var longest = Math.Max(entry.Before?.Length ?? 0, entry.After?.Length ?? 0);
        return longest <= MaxSnapshotLength && entry.TargetId.Length <= MaxSnapshotLength
            ? null
            : new Failure(FailureKind.Invalid, ChangeTooLarge,
                $"This change is too large to record in the audit log ({longest:N0} characters; at most {MaxSnapshotLength:N0}), so it was not made. Shorten the values you entered.")
            {
                Extensions = new Dictionary<string, object?> { ["length"] = longest, ["maxLength"] = MaxSnapshotLength },
            };
    }

    private static Failure TooLargeForStorage() =>
        new(FailureKind.Invalid, ChangeTooLarge, "This change is too large to store, so it was not made. Shorten the values you entered.");

    // The change already happened: a failure here leaves the entry pending, never the change unrecorded.
    private async Task MarkAsync(AuditEntry entry, string state, string? outcome)
    {
        try
        {
            await store.MarkAsync(entry.OrgId, entry.Id, state, outcome, CancellationToken.None);
        }
        catch (RequestFailedException ex)
        {
            _logger.LogError(ex, "Audit entry {EntryId} of {Action} stays pending; its outcome was {State}", entry.Id, entry.Action, state);
        }
    }
}
