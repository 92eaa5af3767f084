using Azure;
using Playbooks.Calling.Storage;

namespace Playbooks.Calling.Tests.Storage;

public sealed class StorageOutageTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(408)]
    [InlineData(500)]
    [InlineData(503)]
    public void Is_NoAnswerOrServiceFailure_IsAnOutage(int status)
    {
        Assert.True(StorageOutage.Is(new RequestFailedException(status, "failed")));
    }

    [Theory]
    [InlineData(400)]
    [InlineData(404)]
    [InlineData(409)]
    [InlineData(412)]
    public void Is_RefusalOnTheRequestsMerits_IsNotAnOutage(int status)
    {
        Assert.False(StorageOutage.Is(new RequestFailedException(status, "refused")));
    }

    [Fact]
    public void Is_RetriesExhaustedOnConnectionFailures_IsAnOutage()
    {
        var exhausted = new AggregateException(
            new RequestFailedException(0, "Connection refused", new HttpRequestException("Connection refused")),
            new HttpRequestException("Connection refused"));

        Assert.True(StorageOutage.Is(exhausted));
    }

    [Fact]
    public void Is_AggregateWithARefusal_IsNotAnOutage()
    {
        Assert.False(StorageOutage.Is(new AggregateException(new RequestFailedException(0, "down"), new RequestFailedException(409, "conflict"))));
    }

    [Fact]
    public void Is_OtherException_IsNotAnOutage()
    {
        Assert.False(StorageOutage.Is(new InvalidOperationException("a bug of ours")));
    }
}
