using Azure.Data.Tables;
using Playbooks.Calling.Storage;

namespace Playbooks.Calling.Tests;

/// <summary>
/// Table Storage on Azurite for integration tests, from the PLAYBOOKS_TEST_STORAGE connection string.
/// Tests isolate themselves by using a fresh org id (the PartitionKey of every table).
/// </summary>
public sealed class AzuriteStorage : IAsyncLifetime
{
    public const string Variable = "PLAYBOOKS_TEST_STORAGE";

    private TableServiceClient? tables;

    public TableServiceClient Tables => tables ?? throw new InvalidOperationException("Azurite storage is not initialised.");

    public static string NewOrgId() => $"test-{Guid.NewGuid():N}";

    /// <summary>Another client of the same storage, whose round trips (each attempt, or each call) pass through <paramref name="policy"/>.</summary>
    public static TableServiceClient TablesWith(Azure.Core.Pipeline.HttpPipelinePolicy policy,
        Azure.Core.HttpPipelinePosition position = Azure.Core.HttpPipelinePosition.PerRetry)
    {
        var options = new TableClientOptions();
        options.AddPolicy(policy, position);
        return new TableServiceClient(Environment.GetEnvironmentVariable(Variable), options);
    }

    public async Task InitializeAsync()
    {
        var connectionString = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new InvalidOperationException(
                $"Integration tests need Azurite. Start it (npx azurite --tablePort 10102 ...) and set {Variable} to its connection string.");
        }
        tables = new TableServiceClient(connectionString);
        foreach (var name in TableNames.All)
        {
            await tables.CreateTableIfNotExistsAsync(name);
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;
}

[CollectionDefinition(Name)]
public sealed class AzuriteCollection : ICollectionFixture<AzuriteStorage>
{
    public const string Name = "Azurite";
}
