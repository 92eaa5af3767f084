using Azure;
using Azure.Data.Tables;
using Azure.Data.Tables.Models;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Moq;
using Playbooks.Calling.Health;

namespace Playbooks.Calling.Tests.Health;

public sealed class StorageHealthCheckTests
{
    private readonly Mock<TableServiceClient> _tables = new(MockBehavior.Strict);

    [Fact]
    public async Task CheckHealthAsync_TablesAnswer_IsHealthy()
    {
        _tables.Setup(t => t.QueryAsync(It.IsAny<string>(), 1, It.IsAny<CancellationToken>()))
            .Returns(AsyncPageable<TableItem>.FromPages([Page<TableItem>.FromValues([TableModelFactory.TableItem("Orgs")], null, Mock.Of<Response>())]));

        var result = await new StorageHealthCheck(_tables.Object).CheckHealthAsync(new HealthCheckContext());

        Assert.Equal(HealthStatus.Healthy, result.Status);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(503)]
    public async Task CheckHealthAsync_StorageFails_IsUnhealthyAndUnreachable(int status)
    {
        _tables.Setup(t => t.QueryAsync(It.IsAny<string>(), 1, It.IsAny<CancellationToken>()))
            .Returns(new FailingPageable(new RequestFailedException(status, "Connection refused")));

        var result = await new StorageHealthCheck(_tables.Object).CheckHealthAsync(new HealthCheckContext());

        Assert.Equal(HealthStatus.Unhealthy, result.Status);
        Assert.Equal("unreachable", result.Description);
    }

    private sealed class FailingPageable(Exception failure) : AsyncPageable<TableItem>
    {
        public override async IAsyncEnumerable<Page<TableItem>> AsPages(string? continuationToken = null, int? pageSizeHint = null)
        {
            await Task.Yield();
            throw failure;
#pragma warning disable CS0162 // an async iterator needs a yield to be one
            yield break;
#pragma warning restore CS0162
        }
    }
}
