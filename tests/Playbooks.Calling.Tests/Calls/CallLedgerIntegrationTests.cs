using Azure.Data.Tables;
using Playbooks.Calling.Calls;
using Playbooks.Calling.Orgs;
using Playbooks.Calling.Storage;

namespace Playbooks.Calling.Tests.Calls;

[Collection(AzuriteCollection.Name)]
public class CallLedgerIntegrationTests(AzuriteStorage storage)
{
    private static readonly DateTimeOffset CreatedAt = new(2025, 3, 14, 9, 0, 0, TimeSpan.Zero);

    private static string NewCallSid() => "CA" + Guid.NewGuid().ToString("N");

    /// <summary>New SIDs whose rows share one of the org's ledger partitions, so their writes meet in one group commit.</summary>
    private static List<string> NewCallSidsInOnePartition(string orgId, int count)
    {
        var partition = CallLedger.PartitionFor(orgId, NewCallSid());
        return Enumerable.Range(0, int.MaxValue).Select(_ => NewCallSid())
            .Where(sid => CallLedger.PartitionFor(orgId, sid) == partition).Take(count).ToList();
    }

    /// <summary>Computer calls of the org with fresh SIDs, each by its own user.</summary>
    private static List<CallRecord> Calls(string orgId, int count) =>
        Enumerable.Range(0, count)
            .Select(i => new CallRecord(orgId, NewCallSid(), $"user-{i}", CallingMethod.Computer, "+12015550123", CreatedAt))
            .ToList();

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

    /// <summary>A ledger over its own client that counts round trips (each attempt) to the storage account.</summary>
    private sealed class CountingPolicy : Azure.Core.Pipeline.HttpPipelineSynchronousPolicy
    {
        private int _count;

        public int Count => Volatile.Read(ref _count);

        public override void OnSendingRequest(Azure.Core.HttpMessage message) => Interlocked.Increment(ref _count);
    }

    private static (CallLedger Ledger, CountingPolicy Calls) CountedLedger()
    {
        var policy = new CountingPolicy();
        return (new CallLedger(AzuriteStorage.TablesWith(policy)), policy);
    }

    [Fact]
    public async Task RecordAsync_ManyConcurrentCallsOfOneOrg_StoresEachWithItsOwnerInFewRoundTrips()
    {
        // Arrange
        var (ledger, calls) = CountedLedger();
        var orgId = AzuriteStorage.NewOrgId();
        var records = NewCallSidsInOnePartition(orgId, 250)
            .Select((sid, i) => new CallRecord(orgId, sid, $"user-{i}", CallingMethod.Computer, "+12015550123", CreatedAt))
            .ToList();

        // Act: all are in flight at once, as concurrent voice webhooks are
        await Task.WhenAll(records.Select(r => ledger.RecordAsync(r)));

        // Assert: every caller's row is stored as given, in batches rather than one insert each
        var written = calls.Count;
        var read = await Task.WhenAll(records.Select(r => ledger.GetAsync(orgId, r.CallSid)));
        Assert.Equal(records, read);
        Assert.InRange(written, 2, 25);
    }

    [Fact]
    public async Task RecordAsync_SameSidTwiceInOneBatch_KeepsTheFirstRecord()
    {
        // Arrange: the first record is written alone; the rest queue behind it and go as one batch
        var ledger = new CallLedger(storage.Tables);
        var orgId = AzuriteStorage.NewOrgId();
        var sids = NewCallSidsInOnePartition(orgId, 3);
        var lead = new CallRecord(orgId, sids[0], "lead", CallingMethod.Computer, "+12015550123", CreatedAt);
        var twice = sids[1];
        var first = new CallRecord(orgId, twice, "first-owner", CallingMethod.Computer, "+12015550123", CreatedAt);
        var retried = first with { UserId = "second-owner" };
        var other = new CallRecord(orgId, sids[2], "other", CallingMethod.Phone, "+12015550124", CreatedAt);

        // Act
        await Task.WhenAll(ledger.RecordAsync(lead), ledger.RecordAsync(first), ledger.RecordAsync(retried), ledger.RecordAsync(other));

        // Assert
        Assert.Equal("first-owner", (await ledger.GetAsync(orgId, twice))?.UserId);
        Assert.Equal(other, await ledger.GetAsync(orgId, other.CallSid));
    }

    [Fact]
    public async Task RecordAsync_BatchWithACallRecordedBefore_KeepsItsFirstOwnerAndStoresTheRest()
    {
        // Arrange
        var ledger = new CallLedger(storage.Tables);
        var orgId = AzuriteStorage.NewOrgId();
        var sids = NewCallSidsInOnePartition(orgId, 7);
        var earlier = new CallRecord(orgId, sids[0], "first-owner", CallingMethod.Computer, "+12015550123", CreatedAt);
        await ledger.RecordAsync(earlier);
        var lead = new CallRecord(orgId, sids[1], "lead", CallingMethod.Computer, "+12015550123", CreatedAt);
        var fresh = sids.Skip(2)
            .Select((sid, i) => new CallRecord(orgId, sid, $"user-{i}", CallingMethod.Computer, "+12015550123", CreatedAt))
            .ToList();

        // Act: the retried webhook of the earlier call sits in the middle of a batch
        await Task.WhenAll(new[] { lead }.Concat(fresh.Take(2)).Append(earlier with { UserId = "retry" }).Concat(fresh.Skip(2))
            .Select(r => ledger.RecordAsync(r)));

        // Assert
        Assert.Equal("first-owner", (await ledger.GetAsync(orgId, earlier.CallSid))?.UserId);
        Assert.Equal(fresh, await Task.WhenAll(fresh.Select(r => ledger.GetAsync(orgId, r.CallSid))));
    }

    [Fact]
    public async Task RecordAsync_CallsOfDifferentOrgs_AreEachStoredInTheirOwnPartition()
    {
        // Arrange
        var ledger = new CallLedger(storage.Tables);
        var records = Enumerable.Range(0, 6).Select(_ => Calls(AzuriteStorage.NewOrgId(), 1)[0]).ToList();

        // Act
        await Task.WhenAll(records.Select(r => ledger.RecordAsync(r)));

        // Assert
        Assert.Equal(records, await Task.WhenAll(records.Select(r => ledger.GetAsync(r.OrgId, r.CallSid))));
    }

    [Fact]
    public async Task RecordAsync_ManyCallsOfOneOrg_SpreadOverItsPartitionsEachRowNamingTheOrg()
    {
        // Arrange
        var ledger = new CallLedger(storage.Tables);
        var orgId = AzuriteStorage.NewOrgId();
        var records = Calls(orgId, 160);

        // Act
        await Task.WhenAll(records.Select(r => ledger.RecordAsync(r)));

        // Assert: each row in its SID's partition and naming the org, spread over many of the org's partitions, and
        // nothing in the org's own partition ('~' sorts after every hex digit, so the range holds all the buckets)
        var table = storage.Tables.GetTableClient(TableNames.Calls);
        var (from, to) = (orgId + "~", orgId + "~~");
        var rows = await table.QueryAsync<TableEntity>(e => e.PartitionKey.CompareTo(from) >= 0 && e.PartitionKey.CompareTo(to) < 0).ToListAsync();

        Assert.Equal(records.Select(r => r.CallSid).Order(), rows.Select(r => r.RowKey).Order());
        Assert.All(rows, row => Assert.Equal((CallLedger.PartitionFor(orgId, row.RowKey), orgId), (row.PartitionKey, row.GetString("OrgId"))));
        Assert.InRange(rows.Select(r => r.PartitionKey).Distinct().Count(), 80, CallLedger.Buckets);
        Assert.Empty(await table.QueryAsync<TableEntity>(e => e.PartitionKey == orgId).ToListAsync());
        Assert.Equal(records, await Task.WhenAll(records.Select(r => ledger.GetAsync(orgId, r.CallSid))));
    }

    [Fact]
    public async Task RecordAsync_AllWritesFinished_KeepsNoWriterForThePartitionsItTouched()
    {
        // Arrange
        var ledger = new CallLedger(storage.Tables);
        var orgId = AzuriteStorage.NewOrgId();
        var records = Calls(orgId, 200);

        // Act: concurrent, then one more after the rest are stored
        await Task.WhenAll(records.Select(r => ledger.RecordAsync(r)));
        var later = records[0] with { CallSid = NewCallSid() };
        await ledger.RecordAsync(later);

        // Assert: every row stored, and nothing left behind per partition
        Assert.Equal(0, ledger.PartitionWriters);
        Assert.Equal(records.Append(later), await Task.WhenAll(records.Append(later).Select(r => ledger.GetAsync(orgId, r.CallSid))));
    }

    [Fact]
    public async Task GetAsync_CallRecordedInTheOrgsOwnPartitionBeforeTheSpread_IsStillFound()
    {
        // Arrange: a row as the ledger wrote it before calls were spread over buckets (no OrgId column)
        var orgId = AzuriteStorage.NewOrgId();
        var sid = NewCallSid();
        await storage.Tables.GetTableClient(TableNames.Calls).AddEntityAsync(new TableEntity(orgId, sid)
        {
            ["UserId"] = "user-1", ["Method"] = "phone", ["ProspectNumber"] = "+12015550123", ["WhoId"] = "003xx", ["CreatedAt"] = CreatedAt,
        });
        var (ledger, calls) = CountedLedger();

        // Act
        var read = await ledger.GetAsync(orgId, sid);

        // Assert: found with its owner, after one miss in the SID's bucket
        Assert.Equal(new CallRecord(orgId, sid, "user-1", CallingMethod.Phone, "+12015550123", CreatedAt) { WhoId = "003xx" }, read);
        Assert.Equal(2, calls.Count);
        Assert.Null(await ledger.GetAsync(AzuriteStorage.NewOrgId(), sid));
    }

    [Fact]
    public async Task GetAsync_OrgWhoseIdIsAnotherOrgsBucket_DoesNotSeeThatOrgsCalls()
    {
        // Arrange: org B's ID happens to be the name of one of org A's ledger partitions
        var ledger = new CallLedger(storage.Tables);
        var call = new CallRecord(AzuriteStorage.NewOrgId(), NewCallSid(), "user-1", CallingMethod.Computer, "+12015550123", CreatedAt);
        await ledger.RecordAsync(call);
        var orgB = CallLedger.PartitionFor(call.OrgId, call.CallSid);

        // Act
        var read = await ledger.GetAsync(orgB, call.CallSid);

        // Assert
        Assert.Null(read);
        Assert.Equal(call, await ledger.GetAsync(call.OrgId, call.CallSid));
    }

    [Fact]
    public async Task GetAsync_RecordedCall_IsOneRoundTrip()
    {
        // Arrange
        var call = new CallRecord(AzuriteStorage.NewOrgId(), NewCallSid(), "user-1", CallingMethod.Computer, "+12015550123", CreatedAt);
        await new CallLedger(storage.Tables).RecordAsync(call);
        var (ledger, calls) = CountedLedger();

        // Act
        var read = await ledger.GetAsync(call.OrgId, call.CallSid);

        // Assert
        Assert.Equal(call, read);
        Assert.Equal(1, calls.Count);
    }
}
