using System.Text.Json.Nodes;
using Moq;
using Playbooks.Calling.Crm;
using Playbooks.Calling.Crm.Dynamics;
using Playbooks.Calling.People;
using Playbooks.Calling.Tests.OrgDirectory;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Playbooks.Calling.Tests.Crm;

public sealed class DynamicsOwnerTests : IDisposable
{
    private const string SystemUser = "8f3c2a10-1111-4222-8333-944455556666";
    private readonly WireMockServer _entra = EntraStandIn.Start();
    private readonly WireMockServer _dataverse = WireMockServer.Start();
    private readonly FakeTimeProvider _clock = new(CrmTestKit.Start);
    private readonly Mock<PersonStore> _people = StoreMocks.Of<PersonStore>();
    private readonly DynamicsConnector _connector;

    public DynamicsOwnerTests()
    {
        var options = CrmTestKit.Options(o => o.EntraAuthorityHost = new Uri(_entra.Url!));
        _connector = new DynamicsConnector(EntraStandIn.HttpClients, CrmTestKit.Secrets(_clock), EntraStandIn.Credentials(options, _clock),
            options, _clock,
            new ListLogger<DynamicsConnector>(), new CrmOwners(_people.Object, _clock));
        _entra.Given(Request.Create().WithPath("/contoso.onmicrosoft.com/oauth2/v2.0/token").UsingPost())
            .RespondWith(Response.Create().WithBodyAsJson(new { token_type = "Bearer", expires_in = 3599, access_token = "d-token" }));
        _dataverse.Given(Request.Create().WithPath(new WireMock.Matchers.RegexMatcher(@"^/api/data/v9\.2/phonecalls\(.+\)$")).UsingPatch())
            .RespondWith(Response.Create().WithStatusCode(204));
        _people.Setup(p => p.GetAsync("org-b", "rep-1", It.IsAny<CancellationToken>()))
            .ReturnsAsync(new Person { OrgId = "org-b", UserId = "rep-1", DisplayName = "Rita Rep", Email = "o'neil@contoso.example" });
    }

    public void Dispose()
    {
        _entra.Stop();
        _dataverse.Stop();
    }

    private void GivenSystemUsers(params string[] ids) =>
        _dataverse.Given(Request.Create().WithPath("/api/data/v9.2/systemusers").UsingGet())
            .RespondWith(Response.Create().WithBodyAsJson(new { value = ids.Select(id => new { systemuserid = id }).ToArray() }));

    private JsonObject UpsertBody() =>
        JsonNode.Parse(Assert.Single(_dataverse.LogEntries, e => e.RequestMessage.Method == "PATCH").RequestMessage.Body!)!.AsObject();

    [Fact]
    public async Task WriteAsync_RepIsASystemUser_PhonecallOwnedByThem()
    {
        GivenSystemUsers(SystemUser);

        var outcomes = await _connector.WriteAsync(CrmTestKit.Dynamics("org-b", _dataverse.Url!), [CrmTestKit.Ended("org-b", CrmTestKit.Sid(1))], CancellationToken.None);

        var lookup = Assert.Single(_dataverse.LogEntries, e => e.RequestMessage.Method == "GET");
        Assert.Equal("internalemailaddress eq 'o''neil@contoso.example' and isdisabled eq false", lookup.RequestMessage.Query!["$filter"].ToString());
        Assert.Equal($"/systemusers({SystemUser})", UpsertBody()["ownerid@odata.bind"]!.GetValue<string>());
        Assert.Null(Assert.Single(outcomes).Warning);
    }

    [Fact]
    public async Task WriteAsync_NoSystemUserWithRepsEmail_ApplicationUserOwnsItWithWarning()
    {
        GivenSystemUsers();

        var outcomes = await _connector.WriteAsync(CrmTestKit.Dynamics("org-b", _dataverse.Url!), [CrmTestKit.Ended("org-b", CrmTestKit.Sid(1))], CancellationToken.None);

        Assert.False(UpsertBody().ContainsKey("ownerid@odata.bind"));
        var outcome = Assert.Single(outcomes);
        Assert.Equal(CrmSyncResult.Synced, outcome.Result);
        Assert.Contains("No active Dynamics user has the email o'neil@contoso.example", outcome.Warning);
    }
}
