using System.Text.Json;
using Playbooks.Infra.Tests.Arm;

namespace Playbooks.Infra.Tests.Bicep;

public class ServiceBusTests
{
    private static readonly ArmTemplate Module = ArmTemplate.Compiled.Module("servicebus");

    private static JsonElement Queue => Module.Resource("Microsoft.ServiceBus/namespaces/queues").GetProperty("properties");

    [Fact]
    public void Queue_DuplicateDetection_IsOnWithAParameterWindowDefaultingToTenMinutes()
    {
        Assert.True(Queue.GetProperty("requiresDuplicateDetection").GetBoolean());

        var window = Module.Resolve(Queue.GetProperty("duplicateDetectionHistoryTimeWindow"));
        Assert.Equal("[parameters('callEventsDuplicateDetectionWindow')]", window.Text);
        var parameter = ArmTemplate.Compiled.Parameters.Single(p => p.Name == "callEventsDuplicateDetectionWindow");
        Assert.Equal("PT10M", parameter.Value.GetProperty("defaultValue").GetString());
    }

    [Fact]
    public void Queue_MaxDeliveryCount_Is10()
    {
        Assert.Equal(10, Queue.GetProperty("maxDeliveryCount").GetInt32());
    }

    [Fact]
    public void Queue_LockDuration_IsOneMinute()
    {
        Assert.Equal("PT1M", Queue.GetProperty("lockDuration").GetString());
    }

    [Fact]
    public void Queue_DeadLettersExpiredMessages()
    {
        Assert.True(Queue.GetProperty("deadLetteringOnMessageExpiration").GetBoolean());
    }

    [Fact]
    public void Queue_IsNamedCallEvents()
    {
        var name = Module.Resource("Microsoft.ServiceBus/namespaces/queues").GetProperty("name").GetString()!;

        Assert.Equal("call-events", Module.ResolveParameter("queueName").Text);
        Assert.Contains("parameters('queueName')", name);
    }

    [Fact]
    public void Namespace_IsStandardWithLocalAuthDisabled()
    {
        var ns = Module.Resource("Microsoft.ServiceBus/namespaces");

        Assert.Equal("Standard", ns.GetProperty("sku").GetProperty("name").GetString());
        Assert.True(ns.GetProperty("properties").GetProperty("disableLocalAuth").GetBoolean());
        Assert.Equal("1.2", ns.GetProperty("properties").GetProperty("minimumTlsVersion").GetString());
    }
}
