using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Azure.Messaging.ServiceBus;
using Azure.Security.KeyVault.Secrets;
using Azure.Storage.Queues;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Playbooks.Calling.CallEvents;
using Playbooks.Calling.Crm;
using Playbooks.Calling.Storage;

namespace Playbooks.Calling.Tests.Storage;

/// <summary>The Azure clients the app registers: from validated options, with the storage pipeline policies, one per process.</summary>
public class StorageServiceCollectionExtensionsTests
{
    // Nothing listens here: a request that got past the policy would fail to connect instead.
    private const string Unreachable = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;TableEndpoint=http://127.0.0.1:9/devstoreaccount1;QueueEndpoint=http://127.0.0.1:9/devstoreaccount1";

    private sealed class PolicyReached : Exception;

    private sealed class RefusingPolicy : HttpPipelinePolicy
    {
        public int Requests { get; private set; }

        public string? LastBody { get; private set; }

        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) => throw Refuse(message);

        public override ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) => throw Refuse(message);

        private PolicyReached Refuse(HttpMessage message)
        {
            Requests++;
            if (message.Request.Content is { } content)
            {
                using var body = new MemoryStream();
                content.WriteTo(body, CancellationToken.None);
                LastBody = System.Text.Encoding.UTF8.GetString(body.ToArray());
            }
            return new PolicyReached();
        }
    }

    private static ServiceProvider Compose(RefusingPolicy policy, params (string Key, string Value)[] settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value)))
            .Build();
        var services = new ServiceCollection().AddLogging();
        services.AddSingleton(new StoragePipelinePolicy(policy));
        services.AddPlaybooksStorage(configuration);
        services.AddPlaybooksCallEvents(configuration);
        services.AddPlaybooksCrm(configuration);
        return services.BuildServiceProvider();
    }

    [Fact]
    public async Task AddPlaybooksStorage_ConnectionString_TableRequestsPassTheRegisteredPolicy()
    {
        // Arrange
        var policy = new RefusingPolicy();
        await using var services = Compose(policy, ("Storage:ConnectionString", Unreachable), ("CallEvents:Transport", "StorageQueue"));
        var tables = services.GetRequiredService<TableServiceClient>();

        // Act
        var error = await Record.ExceptionAsync(() => tables.GetTableClient("Orgs").GetEntityIfExistsAsync<TableEntity>("a", "b"));

        // Assert
        Assert.IsType<PolicyReached>(error);
        Assert.Equal(1, policy.Requests);
        Assert.Same(tables, services.GetRequiredService<TableServiceClient>());
    }

    [Fact]
    public async Task AddPlaybooksCallEvents_StorageQueue_QueueRequestsPassTheRegisteredPolicyAndUseBase64()
    {
        // Arrange
        var policy = new RefusingPolicy();
        await using var services = Compose(policy, ("Storage:ConnectionString", Unreachable), ("CallEvents:Transport", "StorageQueue"));
        var queues = services.GetRequiredService<StorageQueueCallEvents>();

        // Act
        var error = await Record.ExceptionAsync(() => queues.Queue.SendMessageAsync("x"));

        // Assert
        Assert.IsType<PolicyReached>(error);
        Assert.Equal(1, policy.Requests);
        Assert.Contains("<MessageText>eA==</MessageText>", policy.LastBody, StringComparison.Ordinal);
        Assert.Equal("call-events", queues.Queue.Name);
        Assert.Equal(services.GetRequiredService<QueueServiceClient>().Uri.Host, queues.Queue.Uri.Host);
    }

    [Fact]
    public async Task AddPlaybooksCallEvents_ServiceBus_ClientForTheConfiguredNamespace()
    {
        // Arrange
        await using var services = Compose(new RefusingPolicy(),
            ("Storage:ConnectionString", Unreachable), ("ServiceBus:FullyQualifiedNamespace", "sb-x.servicebus.windows.net"), ("ServiceBus:QueueName", "call-events"));

        // Act
        var client = services.GetRequiredService<ServiceBusClient>();

        // Assert
        Assert.Equal("sb-x.servicebus.windows.net", client.FullyQualifiedNamespace);
        Assert.Same(client, services.GetRequiredService<ServiceBusClient>());
    }

    [Fact]
    public async Task AddPlaybooksCrm_CrmVault_OneSecretClientForThatVault()
    {
        // Arrange
        await using var services = Compose(new RefusingPolicy(),
            ("Storage:ConnectionString", Unreachable), ("CallEvents:Transport", "StorageQueue"), ("Crm:KeyVaultUri", "https://kv-crm.vault.azure.net/"));

        // Act
        var vault = services.GetRequiredService<SecretClient>();

        // Assert
        Assert.Equal(new Uri("https://kv-crm.vault.azure.net/"), vault.VaultUri);
        Assert.Same(vault, services.GetRequiredService<SecretClient>());
    }

    [Fact]
    public async Task AddPlaybooksCrm_NoCrmVault_NoSecretClient()
    {
        // Arrange
        await using var services = Compose(new RefusingPolicy(), ("Storage:ConnectionString", Unreachable), ("CallEvents:Transport", "StorageQueue"));

        // Act
        var vault = services.GetService<SecretClient>();

        // Assert
        Assert.Null(vault);
    }
}
