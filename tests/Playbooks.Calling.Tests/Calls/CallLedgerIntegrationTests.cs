using Playbooks.Calling.Calls;
using Playbooks.Calling.Orgs;

namespace Playbooks.Calling.Tests.Calls;

[Collection(AzuriteCollection.Name)]
public class CallLedgerIntegrationTests(AzuriteStorage storage)
{
    private static readonly DateTimeOffset CreatedAt = new(2025, 3, 14, 9, 0, 0, TimeSpan.Zero);

    private static string NewCallSid() => "CA" + Guid.NewGuid().ToString("N");

    [Fact]
    public async Task GetAsync_RecordedCall_ReturnsItsOwnerAndProspect()
    {
        // Arrange
        var ledger = new CallLedger(storage.Tables);
        var call = new CallRecord(AzuriteStorage.NewOrgId(), NewCallSid(), "user-1", CallingMethod.Phone, "+12015550123", CreatedAt) { WhoId = "003xx" };
        await ledger.RecordAsync(call);

        // Act
        var read = await ledger.GetAsync(call.OrgId, call.CallSid);

        // Assert
        Assert.Equal(call, read);
    }

    [Fact]
    public async Task RecordAsync_SameCallAgain_KeepsTheFirstOwner()
    {
        // Arrange
        var ledger = new CallLedger(storage.Tables);
        var first = new CallRecord(AzuriteStorage.NewOrgId(), NewCallSid(), "user-1", CallingMethod.Computer, "+12015550123", CreatedAt);
        await ledger.RecordAsync(first);

        // Act
        await ledger.RecordAsync(first with { UserId = "user-2" });

        // Assert
        Assert.Equal("user-1", (await ledger.GetAsync(first.OrgId, first.CallSid))?.UserId);
    }

    [Fact]
    public async Task GetAsync_CallOfAnotherOrg_ReturnsNull()
    {
        // Arrange
        var ledger = new CallLedger(storage.Tables);
        var call = new CallRecord(AzuriteStorage.NewOrgId(), NewCallSid(), "user-1", CallingMethod.Computer, "+12015550123", CreatedAt);
        await ledger.RecordAsync(call);

        // Act
        var read = await ledger.GetAsync(AzuriteStorage.NewOrgId(), call.CallSid);

        // Assert
        Assert.Null(read);
    }

    [Theory]
    [InlineData("CA/../x")]
    [InlineData("CA#1")]
    [InlineData("")]
    public async Task GetAsync_SidThatCannotBeAKey_ReturnsNull(string callSid)
    {
        // Arrange
        var ledger = new CallLedger(storage.Tables);

        // Act
        var read = await ledger.GetAsync(AzuriteStorage.NewOrgId(), callSid);

        // Assert
        Assert.Null(read);
    }
}
