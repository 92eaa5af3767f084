using System.Text.RegularExpressions;
using Azure;
using Azure.Data.Tables;
using Moq;
using Playbooks.Calling.Activity;
using Playbooks.Calling.Orgs;
using Playbooks.Calling.People;
using Playbooks.Calling.Storage;
using Playbooks.Calling.Teams;
using Playbooks.Calling.Tests.OrgDirectory;

namespace Playbooks.Calling.Tests.Activity;

/// <summary>
/// The admin call list over 50,000 activities, paged to its end. Azurite takes minutes to hold and range-read that
/// many rows on this machine, so the Activities table is a mocked client that makes each index row only when a query
/// reaches it, in RowKey order from where the query's filter starts, and counts the rows it made: what a page request
/// read from storage is what it made.
/// </summary>
public sealed partial class ActivityListingFiftyThousandTests
{
    private const int Count = 50_000;
    private const string OrgId = "org-fifty-thousand";
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task ListAsync_FiftyThousandActivities_WholeHistoryPagedOnceInOrderReadingAPageEach()
    {
        // Arrange: calls 43 s apart (about 25 days), the newest first in the index; the org's old rows already listed.
        var table = new GeneratedIndex(Count, n => ActivityListingIntegrationTests.Call(OrgId, n, Now.AddSeconds(-43 * n - 60)));
        var lists = ListService(table);
        var admin = Callers.Admin(OrgId);

        // Act: GET /api/admin/calls?from=2000-01-01 followed page by page to its end.
        string? token = null;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var previous = DateTimeOffset.MaxValue;
        var pages = 0;
        var mostMadeByAPage = 0;
        var largestPage = 0;
        do
        {
            table.Made = 0;
            var page = (await lists.ListAsync(admin, new ActivityFilter(From: "2000-01-01"), new PageRequest(PageRequest.MaxPageSize, token))).Value!;
            mostMadeByAPage = Math.Max(mostMadeByAPage, table.Made);
            largestPage = Math.Max(largestPage, page.Items.Count);
            foreach (var call in page.Items)
            {
                Assert.True(seen.Add(call.AgentCallSid), $"{call.AgentCallSid} listed twice");
                Assert.True(call.InitiatedAt <= previous, $"{call.AgentCallSid} is newer than the call before it");
                previous = call.InitiatedAt!.Value;
            }
            token = page.ContinuationToken;
            pages++;
        }
        while (token is not null);

        // Assert: every call once, newest first, and no page request made more than a page of rows (plus the one that
        // says another page follows), however much history lies behind it.
        Assert.Equal(Count, seen.Count);
        Assert.Equal(Count / PageRequest.MaxPageSize, pages);
        Assert.Equal(PageRequest.MaxPageSize, largestPage);
        Assert.InRange(mostMadeByAPage, PageRequest.MaxPageSize, PageRequest.MaxPageSize + 1);
        Assert.Equal(Count + pages - 1, table.MadeInAll);
    }

    [Fact]
    public async Task ListAsync_WindowOfOneDay_ReadsOnlyThatDaysRows()
    {
        var table = new GeneratedIndex(Count, n => ActivityListingIntegrationTests.Call(OrgId, n, Now.AddSeconds(-43 * n - 60)));
        var lists = ListService(table);
        var from = Now.AddDays(-10);
        var to = from.AddDays(1);
        var expected = Enumerable.Range(0, Count).Select(n => Now.AddSeconds(-43 * n - 60)).Count(at => at >= from && at <= to);

        var listed = 0;
        string? token = null;
        do
        {
            var page = (await lists.ListAsync(Callers.Admin(OrgId),
                new ActivityFilter(From: from.ToString("O"), To: to.ToString("O")), new PageRequest(PageRequest.MaxPageSize, token))).Value!;
            Assert.All(page.Items, c => Assert.InRange(c.InitiatedAt!.Value, from, to));
            listed += page.Items.Count;
            token = page.ContinuationToken;
        }
        while (token is not null);

        Assert.Equal(expected, listed);
        Assert.InRange(table.MadeInAll, expected, expected + expected / PageRequest.MaxPageSize + 1);
    }

    private static ActivityListService ListService(GeneratedIndex index)
    {
        var tables = new Mock<TableServiceClient>();
        tables.Setup(t => t.GetTableClient(TableNames.Activities)).Returns(index.Client);
        var store = new ActivityStore(tables.Object, TimeProvider.System);
        return new ActivityListService(store, new ManagementScopes(new TeamStore(tables.Object)), new PersonStore(tables.Object), TimeProvider.System);
    }

    /// <summary>
    /// A mocked Activities table holding one org's time index: its row keys are computed up front (a string each), its
    /// rows are made one by one as a query's pages are read, from the first key the filter's RowKey bounds allow.
    /// </summary>
    private sealed partial class GeneratedIndex
    {
        private readonly string[] _keys;
        private readonly int[] _calls;
        private readonly Func<int, CallActivity> _call;

        public GeneratedIndex(int count, Func<int, CallActivity> call)
        {
            _call = call;
            var keyed = Enumerable.Range(0, count)
                .Select(n => (Key: ActivityListEntry.KeyOf(call(n).InitiatedAt!.Value, call(n).AgentCallSid), N: n))
                .OrderBy(k => k.Key, StringComparer.Ordinal)
                .ToArray();
            _keys = keyed.Select(k => k.Key).ToArray();
            _calls = keyed.Select(k => k.N).ToArray();
            var client = new Mock<TableClient>(MockBehavior.Strict);
            client.Setup(c => c.GetEntityIfExistsAsync<TableEntity>(OrgId, ActivityListEntry.BuiltRowKey, null, It.IsAny<CancellationToken>()))
                .ReturnsAsync(Response.FromValue(new TableEntity(OrgId, ActivityListEntry.BuiltRowKey), Mock.Of<Response>()));
            client.Setup(c => c.QueryAsync<ActivityListEntry>(It.IsAny<string>(), It.IsAny<int?>(), null, It.IsAny<CancellationToken>()))
                .Returns((string filter, int? maxPerPage, IEnumerable<string>? _, CancellationToken _) =>
                    AsyncPageable<ActivityListEntry>.FromPages(Pages(filter, maxPerPage ?? 1000)));
            Client = client.Object;
        }

        public TableClient Client { get; }

        /// <summary>Rows made since the last reset.</summary>
        public int Made { get; set; }

        public int MadeInAll { get; private set; }

        private IEnumerable<Page<ActivityListEntry>> Pages(string filter, int maxPerPage)
        {
            Assert.Contains($"PartitionKey eq '{OrgId}'", filter);
            Assert.True(TableQueries.CountComparisons(filter) <= TableQueries.MaxComparisons, filter);
            var (start, end) = Range(filter);
            for (var i = start; i < end;)
            {
                var page = new List<ActivityListEntry>(Math.Min(maxPerPage, end - i));
                for (; i < end && page.Count < maxPerPage; i++)
                {
                    page.Add(Row(i));
                }
                yield return Page<ActivityListEntry>.FromValues(page, i < end ? $"next-{i}" : null, Mock.Of<Response>());
            }
        }

        private ActivityListEntry Row(int index)
        {
            Made++;
            MadeInAll++;
            var row = ActivityEntity.From(_call(_calls[index]), Now);
            var entry = ActivityListEntry.Of(row);
            Assert.Equal(_keys[index], entry.RowKey);
            return entry;
        }

        /// <summary>The index positions the filter's RowKey comparisons allow (every other comparison keeps every row here).</summary>
        private (int Start, int End) Range(string filter)
        {
            var start = 0;
            var end = _keys.Length;
            foreach (System.Text.RegularExpressions.Match m in RowKeyComparison().Matches(filter))
            {
                var value = m.Groups["value"].Value.Replace("''", "'");
                var at = Array.BinarySearch(_keys, value, StringComparer.Ordinal);
                var (found, index) = at >= 0 ? (true, at) : (false, ~at);
                switch (m.Groups["op"].Value)
                {
                    case "gt": start = Math.Max(start, found ? index + 1 : index); break;
                    case "ge": start = Math.Max(start, index); break;
                    case "lt": end = Math.Min(end, index); break;
                    case "le": end = Math.Min(end, found ? index + 1 : index); break;
                    default: throw new InvalidOperationException(filter);
                }
            }
            return (start, Math.Max(start, end));
        }

        [GeneratedRegex(@"RowKey (?<op>gt|ge|lt|le) '(?<value>(?:[^']|'')*)'")]
        private static partial Regex RowKeyComparison();
    }
}
