using Azure.Data.Tables;
using Playbooks.Calling.People;
using Playbooks.Calling.Storage;
using Playbooks.Calling.Tests.OrgDirectory;

namespace Playbooks.Calling.Tests.Storage;

public class TableQueriesTests
{
    private static string Filter(int comparisons) =>
        string.Join(" or ", Enumerable.Range(1, comparisons).Select(n => TableClient.CreateQueryFilter($"TeamId eq {"team-" + n}")));

    [Fact]
    public void Checked_FifteenComparisons_ReturnsTheFilter()
    {
        var filter = Filter(15);

        Assert.Same(filter, TableQueries.Checked(filter));
    }

    [Fact]
    public void Checked_SixteenthComparison_Throws()
    {
        var error = Assert.Throws<InvalidOperationException>(() => TableQueries.Checked(Filter(16)));

        Assert.Contains("16 comparisons", error.Message);
    }

    [Theory]
    [InlineData("PartitionKey eq 'org' and RowKey gt 'a' and (TeamId eq 'x' or TeamId ne 'y')", 4)]
    [InlineData("CallAt ge datetime'2026-01-01T00:00:00.0000000Z' and CallAt le datetime'2026-02-01T00:00:00.0000000Z'", 2)]
    [InlineData("Name eq 'a eq b or c lt d' and Email eq 'it''s ge here'", 2)]
    [InlineData("RowKey lt '~'", 1)]
    public void CountComparisons_Filter_CountsOperatorsOutsideQuotedValues(string filter, int expected)
    {
        Assert.Equal(expected, TableQueries.CountComparisons(filter));
    }
}

/// <summary>Lists over many teams on Azurite (which does not enforce the limit, hence the guard in the query builder).</summary>
[Collection(AzuriteCollection.Name)]
public class TableQueriesIntegrationTests(AzuriteStorage storage)
{
    private readonly DirectoryHarness directory = new(storage.Tables);

    [Fact]
    public async Task PeopleList_ManagerOfThirtyTeams_EveryonePagedOnceInOrder()
    {
        // Arrange: 30 managed teams (one filter term each), one unmanaged team, people in all of them.
        var orgId = await directory.NewOrgAsync();
        var expected = new List<string>();
        for (var t = 0; t < 31; t++)
        {
            var managed = t < 30;
            await directory.TeamAsync(orgId, $"team-{t:D2}", managed ? ["manager-1"] : []);
            for (var p = 0; p < 2; p++)
            {
                var userId = $"user-{(p * 31 + t) * 7 % 97:D2}-{t:D2}";
                await directory.PersonAsync(orgId, userId, $"team-{t:D2}");
                if (managed) expected.Add(userId);
            }
        }

        // Act
        var seen = new List<string>();
        string? token = null;
        do
        {
            var page = await directory.PeopleService.ListAsync(Callers.Manager(orgId), null, new PageRequest(7, token));
            Assert.True(page.IsSuccess);
            Assert.InRange(page.Value!.Items.Count, 1, 7);
            seen.AddRange(page.Value.Items.Select(p => p.UserId));
            token = page.Value.ContinuationToken;
        }
        while (token is not null);

        // Assert
        Assert.Equal(expected.Order(StringComparer.Ordinal), seen);
    }

    [Fact]
    public async Task PeopleList_ManyTeamsWithSearch_KeepsOnlyMatchesFromManagedTeams()
    {
        var orgId = await directory.NewOrgAsync();
        for (var t = 0; t < 20; t++)
        {
            await directory.TeamAsync(orgId, $"team-{t:D2}", "manager-1");
            await directory.PersonAsync(orgId, $"u-{t:D2}", $"team-{t:D2}", displayName: t % 5 == 0 ? $"Smith {t}" : $"Jones {t}");
        }
        await directory.PersonAsync(orgId, "u-outside", "team-elsewhere", displayName: "Smith Outside");

        var page = await directory.PeopleService.ListAsync(Callers.Manager(orgId), "smith", new PageRequest(50));

        Assert.Equal(["u-00", "u-05", "u-10", "u-15"], page.Value!.Items.Select(p => p.UserId));
        Assert.Null(page.Value.ContinuationToken);
    }

    [Fact]
    public async Task ReadPageAsync_UnsplittableFilter_ThrowsInsteadOfAskingStorage()
    {
        var table = storage.Tables.GetTableClient(Playbooks.Calling.Storage.TableNames.People);
        var tooMany = string.Join(" or ", Enumerable.Range(0, 15).Select(n => $"TeamId eq 't{n}'"));

        await Assert.ThrowsAsync<InvalidOperationException>(() => TableQueries.ReadPageAsync<PersonEntity, string>(
            table, "org", tooMany, PageRequest.First, e => e.RowKey, null, CancellationToken.None));
    }
}
