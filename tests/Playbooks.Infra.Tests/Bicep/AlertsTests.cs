using System.Text.Json;
using Playbooks.Infra.Tests.Arm;

namespace Playbooks.Infra.Tests.Bicep;

public class AlertsTests
{
    private static readonly ArmTemplate Module = ArmTemplate.Compiled.Module("alerts");

    private static JsonElement Criterion(string metricName) => Module.ResourcesOfType("Microsoft.Insights/metricAlerts")
        .Select(a => a.GetProperty("properties").GetProperty("criteria").GetProperty("allOf")[0])
        .Single(c => c.GetProperty("metricName").GetString() == metricName);

    [Fact]
    public void DeadLetters_AnyDeadLetteredCallEvent_Alerts()
    {
        var criterion = Criterion("DeadletteredMessages");

        Assert.Equal("GreaterThan", criterion.GetProperty("operator").GetString());
        Assert.Equal(0, criterion.GetProperty("threshold").GetInt32());
        Assert.Equal("Microsoft.ServiceBus/namespaces", criterion.GetProperty("metricNamespace").GetString());
    }

    [Fact]
    public void Backlog_ActiveMessagesStayingHigh_Alerts()
    {
        var criterion = Criterion("ActiveMessages");

        Assert.Equal("Minimum", criterion.GetProperty("timeAggregation").GetString());
        Assert.Equal("[parameters('backlogThreshold')]", criterion.GetProperty("threshold").GetString());
    }

    [Fact]
    public void Alerts_EachWatchesOnlyTheCallEventQueue()
    {
        foreach (var metric in new[] { "DeadletteredMessages", "ActiveMessages" })
        {
            var dimension = Criterion(metric).GetProperty("dimensions")[0];
            Assert.Equal("EntityName", dimension.GetProperty("name").GetString());
            Assert.Equal("[parameters('queueName')]", dimension.GetProperty("values")[0].GetString());
        }
    }
}
