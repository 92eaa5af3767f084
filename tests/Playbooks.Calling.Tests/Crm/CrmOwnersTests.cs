using Moq;
using Playbooks.Calling.Crm;
using Playbooks.Calling.People;
using Playbooks.Calling.Tests.OrgDirectory;

namespace Playbooks.Calling.Tests.Crm;

public sealed class CrmOwnersTests : IDisposable
{
    private const string RepUser = "005000000000042AAA";
    private readonly FakeTimeProvider _clock = new(CrmTestKit.Start);
    private readonly Mock<PersonStore> _people = StoreMocks.Of<PersonStore>();
    private readonly SalesforceStub _sf;

    public CrmOwnersTests()
    {
        _sf = new SalesforceStub(_clock, owners: new CrmOwners(_people.Object, _clock));
        _sf.GivenToken().GivenExistingTasks().GivenCollectionsSucceed();
    }

    public void Dispose() => _sf.Dispose();

    private void GivenRepEmail(string? email) =>
        _people.Setup(p => p.GetAsync("org-a", "rep-1", It.IsAny<CancellationToken>()))
            .ReturnsAsync(new Person { OrgId = "org-a", UserId = "rep-1", DisplayName = "Rita Rep", Email = email });

    [Fact]
    public async Task WriteAsync_RepHasSalesforceUser_TaskOwnedByThatUserWithoutWarning()
    {
        GivenRepEmail("Rita.Rep@Acme.example");
        _sf.GivenUser(RepUser);

        var outcomes = await _sf.Connector.WriteAsync(_sf.Connection(), [CrmTestKit.Ended("org-a", CrmTestKit.Sid(1))], CancellationToken.None);

        var query = Assert.Single(_sf.UserQueries).RequestMessage.Query!["q"].ToString();
        Assert.Equal("SELECT Id FROM User WHERE IsActive = true AND (Email = 'rita.rep@acme.example' OR Username = 'rita.rep@acme.example') ORDER BY CreatedDate ASC LIMIT 1", query);
        var task = Assert.Single(SalesforceStub.Body(Assert.Single(_sf.Creates))["records"]!.AsArray())!.AsObject();
        Assert.Equal(RepUser, task["OwnerId"]!.GetValue<string>());
        var outcome = Assert.Single(outcomes);
        Assert.Equal((CrmSyncResult.Synced, null), (outcome.Result, outcome.Warning));
    }

    [Fact]
    public async Task WriteAsync_NoUserWithRepsEmail_TaskLeftToIntegrationUserWithWarning()
    {
        GivenRepEmail("rita@acme.example");
        _sf.GivenUser(null);

        var outcomes = await _sf.Connector.WriteAsync(_sf.Connection(), [CrmTestKit.Ended("org-a", CrmTestKit.Sid(1))], CancellationToken.None);

        var task = Assert.Single(SalesforceStub.Body(Assert.Single(_sf.Creates))["records"]!.AsArray())!.AsObject();
        Assert.Null(task["OwnerId"]);
        var outcome = Assert.Single(outcomes);
        Assert.Equal(CrmSyncResult.Synced, outcome.Result);
        Assert.Contains("rita@acme.example", outcome.Warning);
        Assert.Contains("integration user", outcome.Warning);
    }

    [Fact]
    public async Task WriteAsync_RepWithoutEmail_NoUserQueryAndWarning()
    {
        GivenRepEmail(null);

        var outcomes = await _sf.Connector.WriteAsync(_sf.Connection(), [CrmTestKit.Ended("org-a", CrmTestKit.Sid(1))], CancellationToken.None);

        Assert.Empty(_sf.UserQueries);
        Assert.Contains("has no email", Assert.Single(outcomes).Warning);
    }

    [Fact]
    public async Task WriteAsync_ManyCallsOfOneRepAcrossRuns_AsksSalesforceOnceWithinCacheTime()
    {
        GivenRepEmail("rita@acme.example");
        _sf.GivenUser(RepUser);

        await _sf.Connector.WriteAsync(_sf.Connection(), [CrmTestKit.Ended("org-a", CrmTestKit.Sid(1)), CrmTestKit.Ended("org-a", CrmTestKit.Sid(2))], CancellationToken.None);
        _clock.Advance(TimeSpan.FromMinutes(30));
        await _sf.Connector.WriteAsync(_sf.Connection(), [CrmTestKit.Ended("org-a", CrmTestKit.Sid(3))], CancellationToken.None);
        var withinCache = _sf.UserQueries.Count;
        _clock.Advance(CrmOwners.FoundFor);
        await _sf.Connector.WriteAsync(_sf.Connection(), [CrmTestKit.Ended("org-a", CrmTestKit.Sid(4))], CancellationToken.None);

        Assert.Equal((1, 2), (withinCache, _sf.UserQueries.Count));
    }
}
