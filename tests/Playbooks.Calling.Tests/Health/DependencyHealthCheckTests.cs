using Azure;
using Azure.Messaging.ServiceBus;
using Azure.Security.KeyVault.Secrets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Moq;
using Playbooks.Calling.Health;

namespace Playbooks.Calling.Tests.Health;

public sealed class DependencyHealthCheckTests
{
    [Fact]
    public async Task ServiceBus_PeekAnswers_IsHealthy()
    {
        var receiver = new Mock<ServiceBusReceiver>(MockBehavior.Strict);
        receiver.Setup(r => r.PeekMessageAsync(null, It.IsAny<CancellationToken>())).ReturnsAsync((ServiceBusReceivedMessage)null!);

        var result = await new ServiceBusHealthCheck(receiver.Object).CheckHealthAsync(new HealthCheckContext());

        Assert.Equal(HealthStatus.Healthy, result.Status);
    }

    [Fact]
    public async Task ServiceBus_NamespaceUnreachable_IsUnhealthy()
    {
        var receiver = new Mock<ServiceBusReceiver>(MockBehavior.Strict);
        receiver.Setup(r => r.PeekMessageAsync(null, It.IsAny<CancellationToken>()))
            .ThrowsAsync(new ServiceBusException("no route", ServiceBusFailureReason.ServiceCommunicationProblem));

        var result = await new ServiceBusHealthCheck(receiver.Object).CheckHealthAsync(new HealthCheckContext());

        Assert.Equal(HealthStatus.Unhealthy, result.Status);
        Assert.Equal("unreachable", result.Description);
    }

    [Fact]
    public async Task KeyVault_ListingAnswers_IsHealthy()
    {
        var vault = new Mock<SecretClient>(MockBehavior.Strict);
        vault.Setup(v => v.GetPropertiesOfSecretsAsync(It.IsAny<CancellationToken>()))
            .Returns(AsyncPageable<SecretProperties>.FromPages([Page<SecretProperties>.FromValues([], null, Mock.Of<Response>())]));

        var result = await new KeyVaultHealthCheck(vault.Object).CheckHealthAsync(new HealthCheckContext());

        Assert.Equal(HealthStatus.Healthy, result.Status);
    }

    [Fact]
    public async Task KeyVault_Forbidden_IsUnhealthy()
    {
        var vault = new Mock<SecretClient>(MockBehavior.Strict);
        vault.Setup(v => v.GetPropertiesOfSecretsAsync(It.IsAny<CancellationToken>()))
            .Returns(AsyncPageable<SecretProperties>.FromPages(ThrowingPages(new RequestFailedException(403, "Forbidden"))));

        var result = await new KeyVaultHealthCheck(vault.Object).CheckHealthAsync(new HealthCheckContext());

        Assert.Equal(HealthStatus.Unhealthy, result.Status);
    }

    [Fact]
    public void AddPlaybooksHealth_LocalStorageOnly_ChecksStorageAlone()
    {
        var names = RegisteredChecks(new() { ["CallEvents:Transport"] = "StorageQueue" });

        Assert.Equal(["storage"], names);
    }

    [Fact]
    public void AddPlaybooksHealth_ServiceBusAndCrmVaultConfigured_ChecksAllThree()
    {
        var names = RegisteredChecks(new()
        {
            ["CallEvents:Transport"] = "ServiceBus",
            ["Crm:KeyVaultUri"] = "https://kv-crm-abc.vault.azure.net/",
        });

        Assert.Equal(["storage", "serviceBus", "keyVault"], names);
    }

    private static IReadOnlyList<string> RegisteredChecks(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        using var services = new ServiceCollection().AddPlaybooksHealth(configuration).BuildServiceProvider();
        return services.GetRequiredService<IOptions<HealthCheckServiceOptions>>().Value.Registrations.Select(r => r.Name).ToList();
    }

    private static IEnumerable<Page<SecretProperties>> ThrowingPages(Exception failure)
    {
        throw failure;
#pragma warning disable CS0162 // an iterator needs a yield to be one
        yield break;
#pragma warning restore CS0162
    }
}
