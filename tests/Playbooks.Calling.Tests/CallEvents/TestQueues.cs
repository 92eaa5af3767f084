using Azure.Storage.Queues;
using Playbooks.Calling.CallEvents;

namespace Playbooks.Calling.Tests.CallEvents;

/// <summary>A fresh pair of call-event queues on Azurite per test, so tests never see each other's messages.</summary>
internal static class TestQueues
{
    public static async Task<StorageQueueCallEvents> CreateAsync(TimeSpan? lease = null, int sendsInFlight = 4)
    {
        var connectionString = Environment.GetEnvironmentVariable(AzuriteStorage.Variable)
            ?? throw new InvalidOperationException($"Set {AzuriteStorage.Variable}: these tests need Azurite.");
        var service = new QueueServiceClient(connectionString, StorageQueueCallEvents.ClientOptions);
        var name = $"ce-{Guid.NewGuid():N}"[..30];
        var queues = new StorageQueueCallEvents(service.GetQueueClient(name), service.GetQueueClient(name + "-poison"), lease ?? TimeSpan.FromSeconds(30), maxSendsInFlight: sendsInFlight);
        await queues.CreateIfNotExistsAsync(CancellationToken.None);
        return queues;
    }
}
