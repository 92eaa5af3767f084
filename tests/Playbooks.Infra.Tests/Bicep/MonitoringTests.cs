using Playbooks.Infra.Tests.Arm;

namespace Playbooks.Infra.Tests.Bicep;

public class MonitoringTests
{
    [Fact]
    public void ApplicationInsights_LocalAuth_IsDisabled()
    {
        var component = ArmTemplate.Compiled.Module("monitoring").Resource("Microsoft.Insights/components");

        Assert.True(component.GetProperty("properties").GetProperty("DisableLocalAuth").GetBoolean());
    }
}
