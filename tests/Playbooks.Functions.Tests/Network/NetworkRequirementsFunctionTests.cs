using Microsoft.AspNetCore.Mvc;
using Moq;
using Playbooks.Calling.Network;
using Playbooks.Calling.Orgs;
using Playbooks.Functions.Network;
using Playbooks.Functions.Tests.Http;

namespace Playbooks.Functions.Tests.Network;

public sealed class NetworkRequirementsFunctionTests
{
    private readonly Mock<NetworkRequirementsService> network =
        new(MockBehavior.Strict, new OrgStore(new Azure.Data.Tables.TableServiceClient("UseDevelopmentStorage=true")));

    [Theory]
    [InlineData("", null)]
    [InlineData("?edge=", null)]
    [InlineData("?edge=tokyo", "tokyo")]
    public async Task Run_EdgeQuery_EmptyMeansTheOrgsEdges(string query, string? edge)
    {
        // Arrange
        network.Setup(n => n.GetAsync(Requests.Rep, edge, It.IsAny<CancellationToken>()))
            .ReturnsAsync(NetworkRequirementsService.For(["tokyo"]));

        // Act
        var result = await new NetworkRequirementsFunction(network.Object).Run(Requests.For(Requests.Rep, query), CancellationToken.None);

        // Assert
        var body = Assert.IsType<NetworkRequirements>(Assert.IsType<OkObjectResult>(result).Value);
        Assert.Equal("jp1", Assert.Single(body.Locations).Region);
    }
}
