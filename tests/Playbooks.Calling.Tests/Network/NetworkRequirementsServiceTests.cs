using Moq;
using Playbooks.Calling.Network;
using Playbooks.Calling.Orgs;
using Playbooks.Calling.Tests.OrgDirectory;

namespace Playbooks.Calling.Tests.Network;

public class NetworkRequirementsServiceTests
{
    private const string OrgId = "org-1";
    private readonly Mock<OrgStore> orgs = StoreMocks.Of<OrgStore>();

    private NetworkRequirementsService Service => new(orgs.Object);

    private void GivenOrgEdges(params string[] edges) =>
        orgs.Setup(o => o.GetAsync(OrgId, It.IsAny<CancellationToken>()))
            .ReturnsAsync(new OrgSettings { OrgId = OrgId, Name = "Org", Edges = edges });

    [Fact]
    public async Task Get_NoEdgeAndRoamingOrg_ReturnsAllLocationsAndGllGuidance()
    {
        // Arrange
        GivenOrgEdges("roaming");

        // Act
        var result = await Service.GetAsync(Callers.Rep(OrgId), null);

        // Assert
        Assert.Equal(9, result.Value!.Locations.Count);
        Assert.NotNull(result.Value.Gll);
        Assert.Equal(3 + 7, result.Value.Signaling.Count);
    }

    [Fact]
    public async Task Get_NoEdgeAndFallbackList_ReturnsThoseLocationsInOrderWithTheirRegionalGateways()
    {
        // Arrange
        GivenOrgEdges("umatilla", "ashburn");

        // Act
        var result = await Service.GetAsync(Callers.Rep(OrgId), null);

        // Assert
        Assert.Equal(["us2", "us1"], result.Value!.Locations.Select(l => l.Region));
        Assert.Null(result.Value.Gll);
        Assert.Equal(
            ["chunderw-gll.twilio.com", "chunderw-vpc-gll.twilio.com", "eventgw.twilio.com", "chunderw-vpc-gll-us1.twilio.com"],
            result.Value.Signaling.Select(s => s.Host));
    }

    [Theory]
    [InlineData("tokyo", "jp1")]
    [InlineData("JP1", "jp1")]
    [InlineData(" oregon ", "us2")]
    [InlineData("in1", "in1")]
    public async Task Get_KnownEdge_ReturnsOnlyThatLocationWithoutReadingTheOrg(string edge, string region)
    {
        var result = await Service.GetAsync(Callers.Rep(OrgId), edge);

        Assert.Equal(region, Assert.Single(result.Value!.Locations).Region);
    }

    [Fact]
    public async Task Get_GllAlias_IsRoaming()
    {
        var result = await Service.GetAsync(Callers.Rep(OrgId), "gll");

        Assert.Equal(["roaming"], result.Value!.Edges);
        Assert.Equal(9, result.Value.Locations.Count);
    }

    [Theory]
    [InlineData("mars")]
    [InlineData("")]
    [InlineData("ashburn-ix")]
    public async Task Get_UnknownEdge_Returns400NamingEdge(string edge)
    {
        var result = await Service.GetAsync(Callers.Rep(OrgId), edge);

        Assert.Equal(FailureKind.Invalid, result.Failure!.Kind);
        Assert.Equal("edge", result.Failure.Field);
        Assert.Equal("unknown-edge", result.Failure.Code);
    }

    [Fact]
    public async Task Get_NoEdgeAndNoOrg_ReturnsOrgNotFound()
    {
        orgs.Setup(o => o.GetAsync(OrgId, It.IsAny<CancellationToken>())).ReturnsAsync((OrgSettings?)null);

        var result = await Service.GetAsync(Callers.Rep(OrgId), null);

        Assert.Equal(Failure.NotFound("Org"), result.Failure);
    }

    [Fact]
    public void For_EveryTarget_CarriesTheSourcesQualityTargets()
    {
        var requirements = NetworkRequirementsService.For(["dublin"]);

        Assert.Equal((200, 30, 100), (requirements.Quality.MaxRttMs, requirements.Quality.MaxJitterMs, requirements.Quality.BandwidthKbps));
        Assert.Contains(requirements.Vpn, v => v.Contains("split tunnel"));
    }
}
