using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Playbooks.Calling.CallEvents;

namespace Playbooks.Calling.Tests.CallEvents;

public class CallEventsServiceCollectionExtensionsTests
{
    private static IConfiguration Settings(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => KeyValuePair.Create(v.Key, (string?)v.Value))).Build();

    [Fact]
    public void ResolveTransport_LocalConnectionStringOnly_StorageQueue() =>
        Assert.Equal(CallEventTransport.StorageQueue,
            CallEventsServiceCollectionExtensions.ResolveTransport(Settings(("Storage:ConnectionString", "UseDevelopmentStorage=true"))));

    [Fact]
    public void ResolveTransport_ServiceBusNamespaceSet_ServiceBus() =>
        Assert.Equal(CallEventTransport.ServiceBus, CallEventsServiceCollectionExtensions.ResolveTransport(Settings(
            ("Storage:ConnectionString", "UseDevelopmentStorage=true"), ("ServiceBus:FullyQualifiedNamespace", "sb-x.servicebus.windows.net"))));

    [Fact]
    public void ResolveTransport_ExplicitSetting_Wins() =>
        Assert.Equal(CallEventTransport.StorageQueue, CallEventsServiceCollectionExtensions.ResolveTransport(Settings(
            ("CallEvents:Transport", "storagequeue"), ("ServiceBus:FullyQualifiedNamespace", "sb-x.servicebus.windows.net"))));

    [Fact]
    public void ResolveTransport_UnknownValue_FailsNamingTheSetting()
    {
        var error = Assert.Throws<OptionsValidationException>(() =>
            CallEventsServiceCollectionExtensions.ResolveTransport(Settings(("CallEvents:Transport", "Kafka"))));

        Assert.Contains("CallEvents:Transport", error.Message);
    }

    [Fact]
    public void AddPlaybooksCallEvents_ServiceBusWithoutNamespace_FailsValidationNamingTheSetting()
    {
        var services = new ServiceCollection().AddPlaybooksCallEvents(Settings());
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<ServiceBusOptions>>().Value);

        Assert.Contains("ServiceBus:FullyQualifiedNamespace", error.Message);
    }

    [Fact]
    public void AddPlaybooksCallEvents_BatchSizeOutOfRange_FailsValidation()
    {
        var services = new ServiceCollection().AddPlaybooksCallEvents(Settings(
            ("Storage:ConnectionString", "UseDevelopmentStorage=true"), ("CallEvents:BatchSize", "0")));
        using var provider = services.BuildServiceProvider();

        Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<CallEventsOptions>>().Value);
    }

    [Theory]
    [InlineData("CallEvents:StorageQueuePackSize", "0")]
    [InlineData("CallEvents:StorageQueuePackSize", "257")]
    [InlineData("CallEvents:StorageQueueSendsInFlight", "0")]
    [InlineData("CallEvents:StorageQueueSendsInFlight", "65")]
    public void AddPlaybooksCallEvents_PackingOutOfRange_FailsValidationNamingTheSetting(string key, string value)
    {
        var services = new ServiceCollection().AddPlaybooksCallEvents(Settings(("Storage:ConnectionString", "UseDevelopmentStorage=true"), (key, value)));
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<CallEventsOptions>>().Value);

        Assert.Contains(key.Split(':')[1], error.Message);
    }
}
