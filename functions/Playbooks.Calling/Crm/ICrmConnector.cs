using Playbooks.Calling.Activity;

namespace Playbooks.Calling.Crm;

/// <summary>Writes call activities into one kind of CRM.</summary>
public interface ICrmConnector
{
    CrmProvider Provider { get; }

    /// <summary>
    /// Creates or updates one CRM record per activity (found again by the call SID, so repeating a write never
    /// duplicates it) and returns one outcome per activity; a request-level failure becomes the outcome of every
    /// activity that request or any later one would have carried, so none is left without an answer.
    /// </summary>
    Task<IReadOnlyList<CrmSyncOutcome>> WriteAsync(
        CrmConnection connection, IReadOnlyList<CallActivity> activities, CancellationToken cancellationToken);

    /// <summary>Signs in afresh and makes one read; the CRM's error when either fails.</summary>
    Task<CrmConnectionTest> TestAsync(CrmConnection connection, CancellationToken cancellationToken);
}

public sealed record CrmConnectionTest(bool Success, CrmProvider Provider, string Message);
