using Playbooks.Calling.Quality;
using Playbooks.Calling.Storage;

namespace Playbooks.Calling.Tests.Quality;

[Collection(AzuriteCollection.Name)]
public class QualityReportStoreIntegrationTests(AzuriteStorage storage)
{
    private readonly QualityReportStore store = new(storage.Tables);
    private readonly DateTimeOffset start = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private Task<QualityReport?> AddAsync(string orgId, string reporter, string? teamId, int minutes, string? callSid = null) =>
        store.AddAsync(new QualityReport
        {
            OrgId = orgId,
            Id = QualityReportEntity.NewRowKey(start.AddMinutes(minutes)),
            At = start.AddMinutes(minutes),
            ReporterUserId = reporter,
            ReporterDisplayName = reporter,
            TeamId = teamId,
            CallSid = callSid ?? $"CA{Guid.NewGuid():N}",
            Score = 3,
            Issues = ["echo"],
            Samples = [new CallSample { Rtt = 120, Mos = 4.1 }],
            Edge = "ashburn",
        });

    [Fact]
    public async Task List_SeveralReports_NewestFirstAcrossPagesAndRoundTripsSamples()
    {
        // Arrange
        var orgId = AzuriteStorage.NewOrgId();
        await AddAsync(orgId, "first", "east", 0);
        await AddAsync(orgId, "second", "west", 1);
        await AddAsync(orgId, "third", "east", 2);

        // Act
        var page1 = await store.ListAsync(orgId, null, new PageRequest(2));
        var page2 = await store.ListAsync(orgId, null, new PageRequest(2, page1.ContinuationToken));

        // Assert
        Assert.Equal(["third", "second"], page1.Items.Select(r => r.ReporterUserId));
        Assert.Equal(["first"], page2.Items.Select(r => r.ReporterUserId));
        Assert.Null(page2.ContinuationToken);
        Assert.Equal(4.1, page1.Items[0].Samples.Single().Mos);
        Assert.Equal(["echo"], page1.Items[0].Issues);
    }

    [Fact]
    public async Task List_TeamFilter_KeepsOnlyThoseTeamsAndNoOtherOrg()
    {
        // Arrange
        var orgId = AzuriteStorage.NewOrgId();
        var otherOrg = AzuriteStorage.NewOrgId();
        await AddAsync(orgId, "east-rep", "east", 0);
        await AddAsync(orgId, "west-rep", "west", 1);
        await AddAsync(orgId, "no-team", null, 2);
        await AddAsync(otherOrg, "elsewhere", "east", 3);

        // Act
        var east = await store.ListAsync(orgId, ["east"], PageRequest.First);
        var none = await store.ListAsync(orgId, [], PageRequest.First);

        // Assert
        Assert.Equal(["east-rep"], east.Items.Select(r => r.ReporterUserId));
        Assert.Empty(none.Items);
    }

    [Fact]
    public async Task Add_SameCallAndReporterTwice_SecondIsRefusedAndListShowsOne()
    {
        // Arrange
        var orgId = AzuriteStorage.NewOrgId();
        var callSid = $"CA{Guid.NewGuid():N}";
        Assert.NotNull(await AddAsync(orgId, "rep", "east", 0, callSid));

        // Act
        var second = await AddAsync(orgId, "rep", "east", 1, callSid);
        var otherReporter = await AddAsync(orgId, "manager", "east", 2, callSid);

        // Assert
        Assert.Null(second);
        Assert.NotNull(otherReporter);
        var listed = await store.ListAsync(orgId, null, PageRequest.First);
        Assert.Equal(["manager", "rep"], listed.Items.Select(r => r.ReporterUserId));
    }

    [Fact]
    public async Task Add_ConcurrentReportsOfOneCall_ExactlyOneLands()
    {
        // Arrange
        var orgId = AzuriteStorage.NewOrgId();
        var callSid = $"CA{Guid.NewGuid():N}";

        // Act
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => AddAsync(orgId, "rep", "east", i, callSid)));

        // Assert
        Assert.Single(results, r => r is not null);
        Assert.Single((await store.ListAsync(orgId, ["east"], PageRequest.First)).Items);
    }
}
