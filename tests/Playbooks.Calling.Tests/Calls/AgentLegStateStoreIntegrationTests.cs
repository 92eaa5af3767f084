using Playbooks.Calling.Activity;
using Playbooks.Calling.Calls;
using Playbooks.Calling.Orgs;

namespace Playbooks.Calling.Tests.Calls;

[Collection(AzuriteCollection.Name)]
public class AgentLegStateStoreIntegrationTests(AzuriteStorage storage)
{
    private static readonly DateTimeOffset At = new(2026, 3, 14, 9, 0, 0, TimeSpan.Zero);

    private static string NewCallSid() => "CA" + Guid.NewGuid().ToString("N");

    [Fact]
    public async Task RecordStatusAsync_LateEarlierStatus_KeepsTheFurthest()
    {
        // Arrange
        var store = new AgentLegStateStore(storage.Tables);
        var (orgId, sid) = (AzuriteStorage.NewOrgId(), NewCallSid());
        await store.RecordStatusAsync(orgId, sid, CallStatus.InProgress, At.AddSeconds(5));

        // Act: ringing arrives late, then the end.
        await store.RecordStatusAsync(orgId, sid, CallStatus.Ringing, At);
        var afterLate = await store.GetAsync(orgId, sid);
        await store.RecordStatusAsync(orgId, sid, CallStatus.Completed, At.AddSeconds(40));
        await store.RecordStatusAsync(orgId, sid, CallStatus.InProgress, At.AddSeconds(5));

        // Assert
        Assert.Equal(CallStatus.InProgress, afterLate?.Status);
        var final = await store.GetAsync(orgId, sid);
        Assert.Equal(CallStatus.Completed, final?.Status);
        Assert.Equal(At.AddSeconds(40), final?.StatusAt);
    }

    [Fact]
    public async Task RecordStatusesAsync_ABatchOutOfOrder_KeepsTheFurthestAndItsTime()
    {
        // Arrange
        var store = new AgentLegStateStore(storage.Tables);
        var (orgId, sid) = (AzuriteStorage.NewOrgId(), NewCallSid());
        await store.RecordStatusAsync(orgId, sid, CallStatus.Ringing, At);

        // Act: one batch with the end before the answer, and a late initiated.
        await store.RecordStatusesAsync(orgId, sid, [(CallStatus.Completed, At.AddSeconds(40)), (CallStatus.InProgress, At.AddSeconds(5)), (CallStatus.Initiated, At)]);

        // Assert
        var state = await store.GetAsync(orgId, sid);
        Assert.Equal((CallStatus.Completed, At.AddSeconds(40)), (state?.Status, state?.StatusAt));
    }

    [Fact]
    public async Task RecordConfirmationAsync_WithStatuses_KeepsBoth()
    {
        // Arrange
        var store = new AgentLegStateStore(storage.Tables);
        var (orgId, sid) = (AzuriteStorage.NewOrgId(), NewCallSid());
        await store.RecordStatusAsync(orgId, sid, CallStatus.InProgress, At);

        // Act
        await store.RecordConfirmationAsync(orgId, sid, AgentConfirmation.Confirmed, At.AddSeconds(3));
        await store.RecordStatusAsync(orgId, sid, CallStatus.Completed, At.AddSeconds(60));

        // Assert
        var state = await store.GetAsync(orgId, sid);
        Assert.Equal((CallStatus.Completed, AgentConfirmation.Confirmed), (state?.Status, state?.Confirmation));
        Assert.Equal(sid, state?.CallSid);
    }

    [Fact]
    public async Task GetAsync_LedgerRowOfTheSameCall_IsNotAStateAndTheLedgerStillReadsIt()
    {
        // Arrange: the state row shares the ledger's table and partition.
        var store = new AgentLegStateStore(storage.Tables);
        var ledger = new CallLedger(storage.Tables);
        var call = new CallRecord(AzuriteStorage.NewOrgId(), NewCallSid(), "user-1", CallingMethod.Phone, "+12015550123", At);
        await ledger.RecordAsync(call);

        // Act
        var before = await store.GetAsync(call.OrgId, call.CallSid);
        await store.RecordStatusAsync(call.OrgId, call.CallSid, CallStatus.Ringing, At);

        // Assert
        Assert.Null(before);
        Assert.Equal(call, await ledger.GetAsync(call.OrgId, call.CallSid));
        Assert.Equal(CallStatus.Ringing, (await store.GetAsync(call.OrgId, call.CallSid))?.Status);
    }
}
