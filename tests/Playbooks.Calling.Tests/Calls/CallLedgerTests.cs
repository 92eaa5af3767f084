using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Moq;
using Playbooks.Calling.Calls;
using Playbooks.Calling.Orgs;
using Playbooks.Calling.Storage;

namespace Playbooks.Calling.Tests.Calls;

/// <summary>
/// The ledger's write scheduling over a table whose writes finish only when the test says so: which writes are in
/// flight, what each carries, and which callers have returned. Nothing here waits on a clock.
/// </summary>
public class CallLedgerTests
{
    private const string OrgId = "org-1";
    private static readonly DateTimeOffset CreatedAt = new(2025, 3, 14, 9, 0, 0, TimeSpan.Zero);

    private readonly Mock<TableClient> _table = new(MockBehavior.Strict);
    private readonly List<Write> _writes = [];

    /// <summary>One storage write the ledger started: the SIDs and owners it carries, finished by the test.</summary>
    private sealed record Write(IReadOnlyList<(string Sid, string UserId)> Rows, IReadOnlyList<CallEntity> Entities, TaskCompletionSource<Exception?> Outcome);

    private CallLedger Ledger(int maxWritesInFlight)
    {
        _table.Setup(t => t.AddEntityAsync(It.IsAny<CallEntity>(), It.IsAny<CancellationToken>()))
            .Returns(async (CallEntity e, CancellationToken _) =>
            {
                await Start([e]);
                return Mock.Of<Response>();
            });
        _table.Setup(t => t.SubmitTransactionAsync(It.IsAny<IEnumerable<TableTransactionAction>>(), It.IsAny<CancellationToken>()))
            .Returns(async (IEnumerable<TableTransactionAction> actions, CancellationToken _) =>
            {
                await Start(actions.Select(a => (CallEntity)a.Entity).ToList());
                return Response.FromValue<IReadOnlyList<Response>>([], Mock.Of<Response>());
            });
        var tables = new Mock<TableServiceClient>(MockBehavior.Strict);
        tables.Setup(t => t.GetTableClient(TableNames.Calls)).Returns(_table.Object);
        return new CallLedger(tables.Object, Options.Create(new CallLedgerOptions { MaxWritesInFlightPerPartition = maxWritesInFlight }));
    }

    /// <summary>Registers the write and finishes when the test finishes it: with the test's exception, or stored.</summary>
    private async Task Start(IReadOnlyList<CallEntity> rows)
    {
        var write = new Write(rows.Select(r => (r.RowKey, r.UserId)).ToList(), rows, new TaskCompletionSource<Exception?>(TaskCreationOptions.RunContinuationsAsynchronously));
        lock (_writes)
        {
            _writes.Add(write);
        }

        if (await write.Outcome.Task is { } failure)
        {
            throw failure;
        }
    }

    private Write[] Writes()
    {
        lock (_writes)
        {
            return [.. _writes];
        }
    }

    private static CallRecord Call(string sid, string userId = "user-1") =>
        new(OrgId, sid, userId, CallingMethod.Computer, "+12015550123", CreatedAt);

    /// <summary>The org's ledger partition that <see cref="Sid"/> keeps to, so that these tests meet one partition's writes.</summary>
    private static readonly string Partition = CallLedger.PartitionFor(OrgId, "CA" + 0.ToString("x32"));

    /// <summary>The n-th SID (Twilio's shape) whose row falls in <see cref="Partition"/>.</summary>
    private static string Sid(int n) => SameBucket.Value[n];

    private static readonly Lazy<string[]> SameBucket = new(() => Enumerable.Range(0, int.MaxValue)
        .Select(i => "CA" + i.ToString("x32"))
        .Where(sid => CallLedger.PartitionFor(OrgId, sid) == Partition)
        .Take(200)
        .ToArray());

    /// <summary>Lets the continuations that are ready run (the ledger's own awaits), so a write that should not start has had its chance.</summary>
    private static async Task SettleAsync()
    {
        for (var i = 0; i < 20; i++)
        {
            await Task.Yield();
            await Task.Delay(1);
        }
    }

    /// <summary>Waits until the ledger has started <paramref name="count"/> writes (the next batch starts on the request it was handed to).</summary>
    private async Task<Write[]> WritesAsync(int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (Writes().Length < count && DateTime.UtcNow < deadline)
        {
            await Task.Delay(1);
        }

        await SettleAsync();
        return Writes();
    }

    [Fact]
    public async Task RecordAsync_MoreRecordsThanWrites_StartsAtMostTheLimitAndQueuesTheRestForOneTransaction()
    {
        // Arrange
        var ledger = Ledger(maxWritesInFlight: 3);

        // Act: ten webhooks of one org at once
        var recorded = Enumerable.Range(0, 10).Select(i => ledger.RecordAsync(Call(Sid(i), $"user-{i}"))).ToArray();
        await SettleAsync();

        // Assert: three single inserts in flight, nobody answered yet
        Assert.Equal([[Sid(0)], [Sid(1)], [Sid(2)]], Writes().Select(w => w.Rows.Select(r => r.Sid).ToArray()));
        Assert.DoesNotContain(recorded, t => t.IsCompleted);

        // Act: the second insert finishes
        Writes()[1].Outcome.SetResult(null);
        await recorded[1];

        // Assert: its caller returned, and the seven queued records went in one transaction in their arrival order
        var writes = await WritesAsync(4);
        Assert.Equal(4, writes.Length);
        Assert.Equal(Enumerable.Range(3, 7).Select(Sid), writes[3].Rows.Select(r => r.Sid));
        Assert.Equal(Enumerable.Range(3, 7).Select(i => $"user-{i}"), writes[3].Rows.Select(r => r.UserId));
        Assert.Equal([1], Enumerable.Range(0, 10).Where(i => recorded[i].IsCompleted));

        // Act: the transaction finishes, then the two other inserts
        writes[3].Outcome.SetResult(null);
        await Task.WhenAll(recorded.Skip(3));
        writes[0].Outcome.SetResult(null);
        writes[2].Outcome.SetResult(null);
        await Task.WhenAll(recorded);

        // Assert: nothing was written twice, and a new record finds a write free again
        var later = ledger.RecordAsync(Call(Sid(10)));
        Assert.Equal([Sid(10)], (await WritesAsync(5))[4].Rows.Select(r => r.Sid));
        Assert.Equal(5, Writes().Length);
        Writes()[4].Outcome.SetResult(null);
        await later;
    }

    [Fact]
    public async Task RecordAsync_CallsInAnotherBucket_AreWrittenAtOnceInTheirOwnPartitionNamingTheOrg()
    {
        // Arrange: one write in flight per partition, and the first partition's is busy
        var ledger = Ledger(maxWritesInFlight: 1);
        var elsewhere = Enumerable.Range(0, 100).Select(i => "CA" + i.ToString("x32")).First(sid => CallLedger.PartitionFor(OrgId, sid) != Partition);
        var first = ledger.RecordAsync(Call(Sid(0)));
        var queued = ledger.RecordAsync(Call(Sid(1)));

        // Act
        var other = ledger.RecordAsync(Call(elsewhere));

        // Assert: the other bucket's record did not queue behind the busy partition
        var writes = await WritesAsync(2);
        Assert.Equal(2, writes.Length);
        Assert.Equal([(Partition, Sid(0), OrgId), (CallLedger.PartitionFor(OrgId, elsewhere), elsewhere, OrgId)],
            writes.Select(w => (w.Entities.Single().PartitionKey, w.Entities.Single().RowKey, w.Entities.Single().OrgId)));
        writes[1].Outcome.SetResult(null);
        await other;
        Assert.False(queued.IsCompleted);
        writes[0].Outcome.SetResult(null);
        (await WritesAsync(3))[2].Outcome.SetResult(null);
        await Task.WhenAll(first, queued);
    }

    [Fact]
    public void PartitionFor_IsTheOrgAndABucketOfTheSidThatNeverChanges()
    {
        // Arrange
        var sids = Enumerable.Range(0, 100 * CallLedger.Buckets).Select(i => "CA" + i.ToString("x32")).ToList();

        // Act
        var perBucket = sids.GroupBy(sid => CallLedger.PartitionFor(OrgId, sid)).ToDictionary(g => g.Key, g => g.Count());

        // Assert: rows already stored are found by these values, so they are pinned; and calls spread evenly
        Assert.Equal("org-1~f9", CallLedger.PartitionFor(OrgId, "CA" + 0.ToString("x32")));
        Assert.Equal("org-1~2d", CallLedger.PartitionFor(OrgId, "CA0123456789abcdef0123456789abcdef"));
        Assert.Equal("org-1~14", CallLedger.PartitionFor(OrgId, "CAffffffffffffffffffffffffffffffff"));
        Assert.Equal("other-org~2d", CallLedger.PartitionFor("other-org", "CA0123456789abcdef0123456789abcdef"));
        Assert.Equal(Enumerable.Range(0, CallLedger.Buckets).Select(b => $"org-1~{b:x2}"), perBucket.Keys.Order());
        Assert.All(perBucket.Values, count => Assert.InRange(count, 60, 140)); // 100 each on average
    }

    [Fact]
    public async Task RecordAsync_WithOneWriteInFlight_IsGroupCommitBehindIt()
    {
        // Arrange
        var ledger = Ledger(maxWritesInFlight: 1);

        // Act
        var recorded = Enumerable.Range(0, 4).Select(i => ledger.RecordAsync(Call(Sid(i)))).ToArray();
        await SettleAsync();

        // Assert: one insert in flight, the rest wait behind it
        Assert.Single(Writes());

        // Act
        Writes()[0].Outcome.SetResult(null);
        await recorded[0];

        // Assert
        Assert.Equal([Sid(1), Sid(2), Sid(3)], (await WritesAsync(2))[1].Rows.Select(r => r.Sid));
        Assert.DoesNotContain(recorded.Skip(1), t => t.IsCompleted);
        Writes()[1].Outcome.SetResult(null);
        await Task.WhenAll(recorded);
    }

    [Fact]
    public async Task RecordAsync_SameSidWhileItsFirstRecordIsInFlight_KeepsTheFirstOwnerAndAnswersBothWhenItIsStored()
    {
        // Arrange
        var ledger = Ledger(maxWritesInFlight: 4);
        var first = ledger.RecordAsync(Call(Sid(1), "first-owner"));
        await SettleAsync();

        // Act: Twilio retries the webhook while the first record is being written
        var retried = ledger.RecordAsync(Call(Sid(1), "second-owner"));
        await SettleAsync();

        // Assert: no second write, and the retry does not answer before the row is stored
        Assert.Equal([(Sid(1), "first-owner")], Writes().Single().Rows);
        Assert.False(retried.IsCompleted);

        // Act
        Writes()[0].Outcome.SetResult(null);

        // Assert
        await Task.WhenAll(first, retried);
        Assert.Single(Writes());
    }

    [Fact]
    public async Task RecordAsync_SameSidWhileItsFirstRecordIsQueued_GoesOnceInTheBatchWithTheFirstOwner()
    {
        // Arrange: the one write is busy, so both records of the SID queue behind it
        var ledger = Ledger(maxWritesInFlight: 1);
        var lead = ledger.RecordAsync(Call(Sid(0)));
        var first = ledger.RecordAsync(Call(Sid(1), "first-owner"));
        var retried = ledger.RecordAsync(Call(Sid(1), "second-owner"));
        var other = ledger.RecordAsync(Call(Sid(2), "other"));
        await SettleAsync();

        // Act
        Writes()[0].Outcome.SetResult(null);
        await lead;

        // Assert
        Assert.Equal([(Sid(1), "first-owner"), (Sid(2), "other")], (await WritesAsync(2))[1].Rows);
        Writes()[1].Outcome.SetResult(null);
        await Task.WhenAll(first, retried, other);
    }

    [Fact]
    public async Task RecordAsync_OneWriteFails_FailsOnlyTheRecordsItCarried()
    {
        // Arrange
        var ledger = Ledger(maxWritesInFlight: 2);
        var failing = ledger.RecordAsync(Call(Sid(1)));
        var sibling = ledger.RecordAsync(Call(Sid(2)));
        var queued = Enumerable.Range(3, 3).Select(i => ledger.RecordAsync(Call(Sid(i)))).ToArray();
        await SettleAsync();

        // Act: the first insert fails; its place goes to the queued records
        Writes()[0].Outcome.SetResult(new RequestFailedException(503, "Server busy"));
        var error = await Assert.ThrowsAsync<RequestFailedException>(() => failing);
        (await WritesAsync(3))[2].Outcome.SetResult(null);
        Writes()[1].Outcome.SetResult(null);

        // Assert
        Assert.Equal(503, error.Status);
        await sibling;
        await Task.WhenAll(queued);
        Assert.Equal([Sid(3), Sid(4), Sid(5)], Writes()[2].Rows.Select(r => r.Sid));
    }

    [Fact]
    public async Task RecordAsync_QueuedBatchFails_FailsThatBatchOnlyAndTheNextRecordIsWritten()
    {
        // Arrange
        var ledger = Ledger(maxWritesInFlight: 1);
        var lead = ledger.RecordAsync(Call(Sid(0)));
        var batch = Enumerable.Range(1, 3).Select(i => ledger.RecordAsync(Call(Sid(i)))).ToArray();
        await SettleAsync();
        Writes()[0].Outcome.SetResult(null);
        await lead;
        await WritesAsync(2);

        // Act: the transaction of the three queued records fails as a whole
        Writes()[1].Outcome.SetResult(new RequestFailedException(500, "Internal error"));

        // Assert: those three callers see the failure; the SIDs are free to be recorded again
        foreach (var failed in batch)
        {
            await Assert.ThrowsAsync<RequestFailedException>(() => failed);
        }

        var again = ledger.RecordAsync(Call(Sid(2)));
        Assert.Equal([Sid(2)], (await WritesAsync(3))[2].Rows.Select(r => r.Sid));
        Writes()[2].Outcome.SetResult(null);
        await again;
    }

    [Theory]
    [InlineData("0")]
    [InlineData("65")]
    public void AddPlaybooksCalls_WritesInFlightOutOfRange_FailsValidationNamingTheSetting(string value)
    {
        // Arrange
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["CallLedger:MaxWritesInFlightPerPartition"] = value })
            .Build();
        using var provider = new ServiceCollection().AddPlaybooksCalls(configuration).BuildServiceProvider();

        // Act
        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<CallLedgerOptions>>().Value);

        // Assert
        Assert.Contains("CallLedger:MaxWritesInFlightPerPartition", error.Message);
    }
}
