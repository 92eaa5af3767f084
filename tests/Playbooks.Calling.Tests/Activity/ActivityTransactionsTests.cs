using Azure;
using Azure.Data.Tables;
using Moq;
using Playbooks.Calling.Activity;

namespace Playbooks.Calling.Tests.Activity;

/// <summary>Group commit over a mocked table: which writes share a transaction and how a refusal is settled.</summary>
public class ActivityTransactionsTests
{
    private readonly Mock<TableClient> table = new(MockBehavior.Strict);
    private readonly List<string[]> submitted = [];

    private static TableTransactionAction[] Write(string rowKey) =>
    [
        new(TableTransactionActionType.UpsertReplace, new TableEntity("org", rowKey)),
        new(TableTransactionActionType.UpsertReplace, new TableEntity("org", "~list~" + rowKey)),
    ];

    private static Response<IReadOnlyList<Response>> Stored(int operations) =>
        Response.FromValue<IReadOnlyList<Response>>(
            Enumerable.Range(0, operations).Select(_ => new Mock<Response>().Object).ToList(), new Mock<Response>().Object);

    /// <summary>Each transaction records its rows; <paramref name="answer"/> decides its fate from the rows.</summary>
    private void Submits(Func<string[], Task<Response<IReadOnlyList<Response>>>> answer) =>
        table.Setup(t => t.SubmitTransactionAsync(It.IsAny<IEnumerable<TableTransactionAction>>(), It.IsAny<CancellationToken>()))
            .Returns((IEnumerable<TableTransactionAction> actions, CancellationToken _) =>
            {
                var rows = actions.Where(a => !a.Entity.RowKey.StartsWith('~')).Select(a => a.Entity.RowKey).ToArray();
                lock (submitted) submitted.Add(rows);
                return answer(rows);
            });

    [Fact]
    public async Task SubmitAsync_TransactionRefusedWithoutNamingAnOperation_EachWriteTriedOnItsOwn()
    {
        // Arrange: the first transaction is held until two more writes wait; storage then refuses any transaction with "c".
        var first = new TaskCompletionSource();
        Submits(async rows =>
        {
            if (rows.SequenceEqual(["a"])) await first.Task;
            return rows.Contains("c")
                ? throw new TableTransactionFailedException(new RequestFailedException(413, "The request body is too large."))
                : Stored(rows.Length * 2);
        });
        var transactions = new ActivityTransactions(table.Object);

        // Act
        var a = transactions.SubmitAsync("org", Write("a"), 10, CancellationToken.None);
        var b = transactions.SubmitAsync("org", Write("b"), 10, CancellationToken.None);
        var c = transactions.SubmitAsync("org", Write("c"), 10, CancellationToken.None);
        Assert.Equal(2, transactions.Waiting("org"));
        first.SetResult();

        // Assert: b and c went together, were refused as a whole, then each alone: b stored, c refused.
        await a;
        await b;
        var refused = await Assert.ThrowsAsync<TableTransactionFailedException>(() => c);
        Assert.Equal(413, refused.Status);
        Assert.Equal([["a"], ["b", "c"], ["b"], ["c"]], submitted);
    }

    [Fact]
    public async Task SubmitAsync_TwoWritesOfOneRowWaiting_NeverInOneTransaction()
    {
        // Arrange
        var first = new TaskCompletionSource();
        Submits(async rows =>
        {
            if (rows.SequenceEqual(["x"])) await first.Task;
            return Stored(rows.Length * 2);
        });
        var transactions = new ActivityTransactions(table.Object);

        // Act: while "x" is in flight, "a", "b", "a" again and "c" queue up.
        var writes = new[] { "x", "a", "b", "a", "c" }.Select(row => transactions.SubmitAsync("org", Write(row), 10, CancellationToken.None)).ToArray();
        first.SetResult();
        await Task.WhenAll(writes);

        // Assert: the second write of "a" waited for the next transaction, and those behind it with it.
        Assert.Equal([["x"], ["a", "b"], ["a", "c"]], submitted);
    }

    [Fact]
    public async Task SubmitAsync_MoreThanAHundredOperationsWaiting_SplitAtOneHundred()
    {
        // Arrange
        var first = new TaskCompletionSource();
        Submits(async rows =>
        {
            if (rows.SequenceEqual(["w00"])) await first.Task;
            return Stored(rows.Length * 2);
        });
        var transactions = new ActivityTransactions(table.Object);

        // Act: 61 writes of two operations each, the first one held.
        var writes = Enumerable.Range(0, 61).Select(n => transactions.SubmitAsync("org", Write($"w{n:D2}"), 10, CancellationToken.None)).ToArray();
        first.SetResult();
        await Task.WhenAll(writes);

        // Assert
        Assert.Equal([1, 50, 10], submitted.Select(rows => rows.Length));
    }
}
